// Command tcp-udp-echo echoes TCP streams and UDP datagrams on the same port number.
package main

import (
	"io"
	"log"
	"net"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "9000"
	}
	listener, err := net.Listen("tcp", ":"+port)
	if err != nil {
		log.Fatalf("tcp-udp-echo: cannot listen on TCP port %s: %v", port, err)
	}
	packets, err := net.ListenPacket("udp", ":"+port)
	if err != nil {
		log.Fatalf("tcp-udp-echo: cannot listen on UDP port %s: %v", port, err)
	}
	log.Printf("tcp-udp-echo: echoing TCP and UDP on :%s", port)
	go echoDatagrams(packets)
	for {
		conn, err := listener.Accept()
		if err != nil {
			log.Fatalf("tcp-udp-echo: accept failed: %v", err)
		}
		go func() {
			defer conn.Close()
			io.Copy(conn, conn)
		}()
	}
}

func echoDatagrams(packets net.PacketConn) {
	buffer := make([]byte, 65535)
	for {
		n, from, err := packets.ReadFrom(buffer)
		if err != nil {
			log.Fatalf("tcp-udp-echo: UDP read failed: %v", err)
		}
		packets.WriteTo(buffer[:n], from)
	}
}
