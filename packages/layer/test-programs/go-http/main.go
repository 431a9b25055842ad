// Fetches http://<addr>/ twice: with net/http (what services do) and with a
// raw net.Dial whose RemoteAddr comes from getpeername after the connect.
package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	addr := os.Args[1]
	client := http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get("http://" + addr + "/")
	if err != nil {
		fmt.Println("http error:", err)
		os.Exit(1)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Print("body: ", string(body))

	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		fmt.Println("dial error:", err)
		os.Exit(1)
	}
	fmt.Fprintf(conn, "GET / HTTP/1.0\r\nHost: %s\r\n\r\n", addr)
	status, _ := bufio.NewReader(conn).ReadString('\n')
	fmt.Println("status:", strings.TrimSpace(status))
	fmt.Println("remote:", conn.RemoteAddr())
	conn.Close()
}
