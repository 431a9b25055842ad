// Command queue-reader consumes messages from the queue broker and logs each one with
// its pod name, so a test can tell which replica (or which local process) took it.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"time"
)

func main() {
	broker := os.Getenv("QUEUE_BROKER_URL")
	if broker == "" {
		broker = "http://queue-broker:8080"
	}
	pod := os.Getenv("POD_NAME")
	if pod == "" {
		pod, _ = os.Hostname()
	}
	interval := 300 * time.Millisecond
	client := &http.Client{Timeout: 5 * time.Second}
	consumeURL := fmt.Sprintf("%s/consume?consumer=%s", broker, url.QueryEscape(pod))
	log.Printf("queue-reader: pod %s consuming from %s", pod, broker)
	for {
		response, err := client.Get(consumeURL)
		if err != nil {
			log.Printf("queue-reader: broker unreachable: %v", err)
			time.Sleep(time.Second)
			continue
		}
		if response.StatusCode == http.StatusOK {
			var m struct {
				ID   int    `json:"id"`
				Body string `json:"body"`
			}
			err = json.NewDecoder(response.Body).Decode(&m)
			response.Body.Close()
			if err == nil {
				log.Printf("queue-reader: pod=%s consumed id=%d body=%q", pod, m.ID, m.Body)
				continue
			}
		}
		response.Body.Close()
		time.Sleep(interval)
	}
}
