module mirrord-layer-test/gohttp

go 1.21
