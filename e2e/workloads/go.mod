module mirrord-ts.local/e2e/workloads

go 1.24
