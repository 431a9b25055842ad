// go-connect <addr> <count>: connects and closes count times, then prints the
// mean nanoseconds per connect (for the layer benchmark).
// go-connect serve: accepts and closes connections on a loopback port it prints.
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"time"
)

func serve() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "listen:", err)
		os.Exit(1)
	}
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	for {
		conn, err := ln.Accept()
		if err != nil {
			os.Exit(1)
		}
		conn.Close()
	}
}

func main() {
	if os.Args[1] == "serve" {
		serve()
	}
	addr := os.Args[1]
	count, _ := strconv.Atoi(os.Args[2])
	start := time.Now()
	for i := 0; i < count; i++ {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "dial:", err)
			os.Exit(1)
		}
		conn.Close()
	}
	fmt.Println(time.Since(start).Nanoseconds() / int64(count))
}
