// Command echo is the HTTP echo service of the e2e cluster: every request is answered
// with JSON naming the pod, the container, the method, the path and all request headers.
// It speaks HTTP/1.1 and h2c (HTTP/2 cleartext with prior knowledge, as gRPC clients use).
package main

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
)

type echoReply struct {
	Pod       string              `json:"pod"`
	Container string              `json:"container"`
	Method    string              `json:"method"`
	Path      string              `json:"path"`
	Query     string              `json:"query"`
	Proto     string              `json:"proto"`
	Host      string              `json:"host"`
	Headers   map[string][]string `json:"headers"`
	Body      string              `json:"body"`
}

func main() {
	port := envOr("PORT", "8080")
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		reply := echoReply{
			Pod:       os.Getenv("POD_NAME"),
			Container: os.Getenv("CONTAINER_NAME"),
			Method:    r.Method,
			Path:      r.URL.Path,
			Query:     r.URL.RawQuery,
			Proto:     r.Proto,
			Host:      r.Host,
			Headers:   r.Header,
			Body:      string(body),
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(reply)
	})
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	server := &http.Server{Addr: ":" + port, Handler: mux, Protocols: &protocols}
	log.Printf("echo: pod %s container %s listening on :%s (HTTP/1.1 and h2c)", os.Getenv("POD_NAME"), os.Getenv("CONTAINER_NAME"), port)
	log.Fatal(server.ListenAndServe())
}

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}
