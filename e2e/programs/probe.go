// A Go program for end-to-end tests of `mirrord exec`, built static (CGO_ENABLED=0) and with cgo:
//   probe get URL | probe env NAME | probe read PATH | probe serve PORT
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	switch os.Args[1] {
	case "get":
		resp, err := http.Get(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		fmt.Print(string(body))
	case "env":
		fmt.Print(os.Getenv(os.Args[2]))
	case "read":
		data, err := os.ReadFile(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Print(string(data))
	case "serve":
		http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			fmt.Printf("got %s from %s\n", r.URL.Path, r.RemoteAddr)
			json.NewEncoder(w).Encode(map[string]string{"from": "local-go", "peer": r.RemoteAddr, "path": r.URL.Path})
		})
		fmt.Println("serving")
		if err := http.ListenAndServe(":"+os.Args[2], nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
