// Serves one HTTP request on <addr> with net/http and exits: prints the
// listener's address (getsockname), then answers with the request's
// RemoteAddr and the connection's local address.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	ln, err := net.Listen("tcp", os.Args[1])
	if err != nil {
		fmt.Println("listen error:", err)
		os.Exit(1)
	}
	fmt.Println("listening", ln.Addr())
	done := make(chan struct{})
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		local := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
		fmt.Fprintf(w, "remote=%s local=%s\n", r.RemoteAddr, local)
		fmt.Println("served", r.RemoteAddr)
		close(done)
	})
	go http.Serve(ln, handler)
	select {
	case <-done:
		time.Sleep(200 * time.Millisecond) // let the response go out
	case <-time.After(60 * time.Second):
		fmt.Println("no request")
		os.Exit(1)
	}
}
