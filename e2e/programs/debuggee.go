// A Go debuggee for the IDE-path e2e tests (the JetBrains bridge: GoLand's Delve, built static
// with CGO_ENABLED=0 and -gcflags=all=-N -l as GoLand builds for debugging):
//   debuggee URL ENV_NAME PORT
// GETs URL and reads $ENV_NAME, prints them as one JSON line, then serves HTTP on PORT answering
// {"from": "local-go-debuggee", "path": …, "env": …, "get": …} from handle(), where the Delve
// test sets its breakpoint (the line marked below), and prints "serving".
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

var started map[string]string

func handle(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path // delve breakpoint here
	reply := map[string]string{"from": "local-go-debuggee", "path": path, "env": started["env"], "get": started["get"]}
	fmt.Printf("got %s\n", path)
	json.NewEncoder(w).Encode(reply)
}

func main() {
	client := http.Client{Timeout: 20 * time.Second}
	resp, err := client.Get(os.Args[1])
	get := ""
	if err != nil {
		get = "error: " + err.Error()
	} else {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		get = string(body)
	}
	started = map[string]string{"get": get, "env": os.Getenv(os.Args[2])}
	line, _ := json.Marshal(started)
	fmt.Println(string(line))
	http.HandleFunc("/", handle)
	fmt.Println("serving")
	if err := http.ListenAndServe(":"+os.Args[3], nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
