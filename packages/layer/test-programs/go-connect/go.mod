module mirrord-layer-test/goconnect

go 1.21
