// Bench peer: a gorilla/websocket hub in the shape of the Go seeds (HotGo, GinSkeleton): a
// goroutine reading each connection, a goroutine writing it from a buffered channel (its send
// queue), a hub map of tags guarded by a mutex. Speaks the wshub bench protocol (json codec,
// HotGo shape) and wshub's POST /api/send/tag/{tag}. Env: PORT, HOST (127.0.0.1), JWT_SECRET, API_KEY.
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

const sendQueue = 1024 // messages; a full queue drops the connection, as the seeds do

type client struct {
	conn *websocket.Conn
	send chan []byte
	tags map[string]bool // reader goroutine only
}

type hub struct {
	mu    sync.RWMutex
	rooms map[string]map[*client]bool
}

func (h *hub) join(c *client, tag string) {
	h.mu.Lock()
	m := h.rooms[tag]
	if m == nil {
		m = map[*client]bool{}
		h.rooms[tag] = m
	}
	m[c] = true
	h.mu.Unlock()
}

func (h *hub) leave(c *client) {
	h.mu.Lock()
	for tag := range c.tags {
		if m := h.rooms[tag]; m != nil {
			delete(m, c)
			if len(m) == 0 {
				delete(h.rooms, tag)
			}
		}
	}
	h.mu.Unlock()
}

// broadcast encodes once and queues the same bytes on every member.
func (h *hub) broadcast(tag string, payload json.RawMessage) int {
	msg, _ := json.Marshal(map[string]any{"event": "broadcast", "code": 0, "data": payload, "timestamp": time.Now().Unix()})
	delivered := 0
	h.mu.RLock()
	for c := range h.rooms[tag] {
		select {
		case c.send <- msg:
			delivered++
		default: // queue full: the seeds drop the message
		}
	}
	h.mu.RUnlock()
	return delivered
}

var upgrader = websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096, CheckOrigin: func(*http.Request) bool { return true }}

func verify(token, secret string) bool {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		return false
	}
	body, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return false
	}
	var claims struct {
		Sub string  `json:"sub"`
		Exp float64 `json:"exp"`
	}
	return json.Unmarshal(body, &claims) == nil && claims.Sub != "" && (claims.Exp == 0 || int64(claims.Exp) > time.Now().Unix())
}

type inbound struct {
	Event string          `json:"event"`
	Data  json.RawMessage `json:"data"`
	Seqno json.RawMessage `json:"seqno"`
}

func reply(c *client, event string, data any, seqno json.RawMessage) {
	msg := map[string]any{"event": event, "code": 0, "timestamp": time.Now().Unix()}
	if data != nil {
		msg["data"] = data
	}
	if seqno != nil {
		msg["seqno"] = seqno
	}
	b, _ := json.Marshal(msg)
	select {
	case c.send <- b:
	default:
	}
}

func (c *client) writeLoop() {
	for msg := range c.send {
		if err := c.conn.WriteMessage(websocket.TextMessage, msg); err != nil {
			break
		}
	}
	c.conn.Close()
}

func (h *hub) readLoop(c *client) {
	defer func() {
		h.leave(c)
		close(c.send)
	}()
	c.conn.SetReadLimit(64 * 1024)
	for {
		_, raw, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		if len(raw) == 0 {
			continue
		}
		var msg inbound
		if json.Unmarshal(raw, &msg) != nil {
			continue
		}
		switch msg.Event {
		case "echo":
			reply(c, "echo", msg.Data, msg.Seqno)
		case "ping":
			reply(c, "ping", nil, msg.Seqno)
		case "join":
			var d struct{ ID string `json:"id"` }
			json.Unmarshal(msg.Data, &d)
			c.tags[d.ID] = true
			h.join(c, d.ID)
			tags := []string{}
			for t := range c.tags {
				tags = append(tags, t)
			}
			reply(c, "join", tags, msg.Seqno)
		case "broadcast":
			var d struct {
				Tag     string          `json:"tag"`
				Payload json.RawMessage `json:"payload"`
			}
			json.Unmarshal(msg.Data, &d)
			reply(c, "broadcast", map[string]int{"delivered": h.broadcast(d.Tag, d.Payload)}, msg.Seqno)
		}
	}
}

func main() {
	host, port := env("HOST", "127.0.0.1"), env("PORT", "0")
	secret, apiKey := env("JWT_SECRET", "wshub-bench-secret-0123456789abcdef"), env("API_KEY", "bench-key")
	h := &hub{rooms: map[string]map[*client]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		if !verify(r.URL.Query().Get("token"), secret) {
			http.Error(w, `{"code":401,"message":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		c := &client{conn: conn, send: make(chan []byte, sendQueue), tags: map[string]bool{}}
		go c.writeLoop()
		go h.readLoop(c)
	})
	mux.HandleFunc("/api/send/tag/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("X-API-Key") != apiKey {
			http.Error(w, `{"code":401,"message":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var msg inbound
		if json.Unmarshal(body, &msg) != nil {
			http.Error(w, `{"code":400,"message":"bad body"}`, http.StatusBadRequest)
			return
		}
		n := h.broadcast(strings.TrimPrefix(r.URL.Path, "/api/send/tag/"), msg.Data)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"code":0,"data":{"delivered":%d}}`, n)
	})
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("gorilla peer listening on %s\n", ln.Addr())
	http.Serve(ln, mux)
}

func env(k, d string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return d
}
