module mirrord-layer-test/gohello

go 1.21
