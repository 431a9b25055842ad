// An HTTP service debugged through the DAP suite (e2e/ide-dap.test.ts), built static
// (CGO_ENABLED=0) and with cgo: dap-handler PORT ENV_NAME
// serves on PORT (printing "serving at=<ms since the epoch>"); each answer is {"from": "local-go-dap", "path", "header", "env"} where
// header is the request's x-mirrord-e2e and env is $ENV_NAME. The suite sets its breakpoint on
// the line marked "breakpoint" and reads `header` in the frame's locals.
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"
)

func main() {
	port, envName := os.Args[1], os.Args[2]
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("x-mirrord-e2e")
		answer := map[string]string{"from": "local-go-dap", "path": r.URL.Path, "header": header, "env": os.Getenv(envName)} // breakpoint
		json.NewEncoder(w).Encode(answer)
	})
	fmt.Printf("serving at=%d\n", time.Now().UnixMilli())
	if err := http.ListenAndServe(":"+port, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
