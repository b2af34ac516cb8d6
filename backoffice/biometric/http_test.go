package biometric

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sppt/sppt/internal/faceindex"
)

// fakeABIS is a tiny national ABIS on loopback that implements CONTRACT.md's
// ABIS contract strictly: it refuses unknown fields and wrong shapes.
type fakeABIS struct {
	mu    sync.Mutex
	ix    *faceindex.Index
	calls []string
}

func (f *fakeABIS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.calls = append(f.calls, r.URL.Path)
	f.mu.Unlock()
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "POST JSON only", http.StatusMethodNotAllowed)
		return
	}
	var in struct {
		SubjectID string    `json:"subject_id"`
		Embedding []float32 `json:"embedding"`
		Limit     int       `json:"limit"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/abis/enrol":
		if err := f.ix.Put(in.SubjectID, 1, in.Embedding); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Write([]byte(`{}`))
	case "/abis/identify":
		hits, err := f.ix.Search(in.Embedding, in.Limit)
		if err != nil || in.Limit < 1 {
			http.Error(w, "bad identify", http.StatusBadRequest)
			return
		}
		out := []map[string]any{}
		for _, h := range hits {
			out = append(out, map[string]any{"subject_id": h.SubjectID, "score": h.Score})
		}
		json.NewEncoder(w).Encode(map[string]any{"candidates": out})
	case "/abis/verify":
		s, ok, err := f.ix.Verify(in.SubjectID, in.Embedding)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if !ok {
			http.Error(w, `{"error":"unknown subject"}`, http.StatusNotFound)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"score": s})
	default:
		http.NotFound(w, r)
	}
}

func TestHTTPDriverAgainstFakeABIS(t *testing.T) {
	ctx := context.Background()
	fake := &fakeABIS{ix: faceindex.New()}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	abis, err := NewHTTP(srv.URL+"/abis/", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	faces := map[string][]float32{}
	for _, id := range []string{"3174010101700001", "3174010101700002", "3174010101700003"} {
		faces[id] = unit(rng)
		if err := abis.Enrol(ctx, Enrolment{SubjectID: id, Office: "JKS", Embedding: faces[id]}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := abis.Identify(ctx, sameFace(rng, faces["3174010101700002"], 0.7), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].SubjectID != "3174010101700002" || got[0].Score < 0.6 || got[1].Score > 0.3 {
		t.Fatalf("identify: %v", got)
	}
	m := Matcher{ABIS: abis}
	if ok, s, err := m.Verify(ctx, "3174010101700003", sameFace(rng, faces["3174010101700003"], 0.7)); !ok || err != nil {
		t.Fatalf("verify: %v %.3f %v", ok, s, err)
	}
	if _, err := abis.Verify(ctx, "3174010101709999", faces["3174010101700001"]); !errors.Is(err, ErrUnknownSubject) {
		t.Fatalf("verify unknown subject: %v", err)
	}
	if err := abis.Enrol(ctx, Enrolment{SubjectID: "3174010101700004", Embedding: faces["3174010101700001"][:10]}); !errors.Is(err, ErrEmbedding) {
		t.Fatalf("a short embedding was sent: %v", err)
	}
	if n := len(fake.calls); n != 6 {
		t.Fatalf("%d calls reached the ABIS, want 6 (%v)", n, fake.calls)
	}
}

func TestHTTPDriverErrors(t *testing.T) {
	ctx := context.Background()
	v := unit(rand.New(rand.NewPCG(9, 10)))
	serve := func(h http.HandlerFunc) *HTTP {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		c, err := NewHTTP(srv.URL, 200*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	down := serve(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	})
	_, err := down.Identify(ctx, v, 5)
	var ae *ABISError
	if !errors.As(err, &ae) || ae.Status != 503 || ae.Path != "/identify" || !strings.Contains(ae.Body, "maintenance") {
		t.Fatalf("503: %v", err)
	}

	slow := serve(func(w http.ResponseWriter, r *http.Request) { time.Sleep(time.Second) })
	start := time.Now()
	if _, err := slow.Verify(ctx, "A", v); err == nil || time.Since(start) > 900*time.Millisecond {
		t.Fatalf("timeout: %v after %s", err, time.Since(start))
	} else if !strings.Contains(err.Error(), "/verify") {
		t.Fatalf("the timeout does not name the call: %v", err)
	}

	garbage := serve(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`<html>`)) })
	if _, err := garbage.Identify(ctx, v, 5); err == nil || !strings.Contains(err.Error(), "contract") {
		t.Fatalf("not JSON: %v", err)
	}
	noCands := serve(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"results":[]}`)) })
	if _, err := noCands.Identify(ctx, v, 5); err == nil {
		t.Fatal("an answer without candidates was accepted")
	}
	badScore := serve(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"score": 7.5}`)) })
	if _, err := badScore.Verify(ctx, "A", v); err == nil {
		t.Fatal("a score of 7.5 was accepted")
	}

	// limit: clamped to [1, MaxLimit] before it is sent.
	var sent int
	limits := serve(func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Limit int }
		json.NewDecoder(r.Body).Decode(&in)
		sent = in.Limit
		w.Write([]byte(`{"candidates":[]}`))
	})
	if _, err := limits.Identify(ctx, v, 5000); err != nil || sent != MaxLimit {
		t.Fatalf("limit 5000 sent as %d (%v)", sent, err)
	}

	for _, bad := range []string{"", "ftp://abis", "abis.example", "http://"} {
		if _, err := NewHTTP(bad, 0); err == nil || !strings.Contains(err.Error(), "ABIS_URL") {
			t.Fatalf("ABIS_URL %q: %v", bad, err)
		}
	}
}
