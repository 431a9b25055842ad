// Command queue-broker is a tiny in-memory message queue for the e2e cluster.
//
//	POST /publish            body = message; answers {"id": n}
//	GET  /consume?consumer=X answers {"id": n, "body": "..."} or 204 when the queue is empty
//	GET  /consumed           answers [{"id", "body", "consumer"}] for every consumed message
//	POST /reset              forgets every message (for tests that start from a clean queue)
package main

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"sync"
)

type message struct {
	ID       int    `json:"id"`
	Body     string `json:"body"`
	Consumer string `json:"consumer,omitempty"`
}

type broker struct {
	mu       sync.Mutex
	nextID   int
	pending  []message
	consumed []message
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	b := &broker{nextID: 1}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("POST /publish", b.publish)
	mux.HandleFunc("GET /consume", b.consume)
	mux.HandleFunc("GET /consumed", b.listConsumed)
	mux.HandleFunc("POST /reset", b.reset)
	log.Printf("queue-broker: listening on :%s", port)
	log.Fatal(http.ListenAndServe(":"+port, mux))
}

func (b *broker) publish(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "cannot read the message body", http.StatusBadRequest)
		return
	}
	b.mu.Lock()
	m := message{ID: b.nextID, Body: string(body)}
	b.nextID++
	b.pending = append(b.pending, m)
	b.mu.Unlock()
	log.Printf("queue-broker: published id=%d body=%q", m.ID, m.Body)
	writeJSON(w, map[string]int{"id": m.ID})
}

func (b *broker) consume(w http.ResponseWriter, r *http.Request) {
	consumer := r.URL.Query().Get("consumer")
	if consumer == "" {
		http.Error(w, "name the consumer with ?consumer=<name>", http.StatusBadRequest)
		return
	}
	b.mu.Lock()
	if len(b.pending) == 0 {
		b.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
		return
	}
	m := b.pending[0]
	b.pending = b.pending[1:]
	m.Consumer = consumer
	b.consumed = append(b.consumed, m)
	b.mu.Unlock()
	log.Printf("queue-broker: id=%d consumed by %s", m.ID, consumer)
	writeJSON(w, m)
}

func (b *broker) listConsumed(w http.ResponseWriter, _ *http.Request) {
	b.mu.Lock()
	consumed := append([]message{}, b.consumed...)
	b.mu.Unlock()
	writeJSON(w, consumed)
}

func (b *broker) reset(w http.ResponseWriter, _ *http.Request) {
	b.mu.Lock()
	b.pending, b.consumed = nil, nil
	b.mu.Unlock()
	writeJSON(w, map[string]bool{"reset": true})
}

func writeJSON(w http.ResponseWriter, value any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(value)
}
