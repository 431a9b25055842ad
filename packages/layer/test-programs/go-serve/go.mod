module mirrord-layer-test/goserve

go 1.21
