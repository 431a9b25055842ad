// go-connect <addr> <count> [parallel]: connects and closes count times (from
// `parallel` goroutines), then prints the mean nanoseconds per connect. Any
// failed connect ends the program with status 1.
// go-connect serve: accepts and closes connections on a loopback port it prints.
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
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
	parallel := 1
	if len(os.Args) > 3 {
		parallel, _ = strconv.Atoi(os.Args[3])
	}
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			for i := 0; i < n; i++ {
				conn, err := net.Dial("tcp", addr)
				if err != nil {
					fmt.Fprintln(os.Stderr, "dial:", err)
					os.Exit(1)
				}
				conn.Close()
			}
		}(count / parallel)
	}
	wg.Wait()
	fmt.Println(time.Since(start).Nanoseconds() / int64(count))
}
