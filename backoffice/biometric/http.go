package biometric

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultTimeout bounds one call to a national ABIS (a 1:N search there can
// take seconds).
const DefaultTimeout = 15 * time.Second

// HTTP is the ABIS_DRIVER=http client of CONTRACT.md's ABIS contract.
type HTTP struct {
	base   string
	client *http.Client
}

// NewHTTP checks the ABIS_URL and makes a client with that timeout per call.
func NewHTTP(abisURL string, timeout time.Duration) (*HTTP, error) {
	u, err := url.Parse(abisURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("ABIS_URL: want an http(s) URL, got %q", abisURL)
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &HTTP{base: strings.TrimRight(abisURL, "/"), client: &http.Client{Timeout: timeout}}, nil
}

// ABISError is an answer from the ABIS that was not a success.
type ABISError struct {
	Path   string
	Status int
	Body   string // the start of the answer, for operators; may name a subject
}

func (e *ABISError) Error() string {
	return fmt.Sprintf("abis: POST %s answered %d", e.Path, e.Status)
}

func (h *HTTP) Enrol(ctx context.Context, e Enrolment) error {
	if err := CheckSubject(e.SubjectID); err != nil {
		return err
	}
	if err := CheckEmbedding(e.Embedding); err != nil {
		return err
	}
	return h.post(ctx, "/enrol", map[string]any{"subject_id": e.SubjectID, "embedding": e.Embedding}, nil)
}

func (h *HTTP) Identify(ctx context.Context, embedding []float32, limit int) ([]Candidate, error) {
	if err := CheckEmbedding(embedding); err != nil {
		return nil, err
	}
	limit = clampLimit(limit)
	var out struct {
		Candidates *[]Candidate `json:"candidates"`
	}
	if err := h.post(ctx, "/identify", map[string]any{"embedding": embedding, "limit": limit}, &out); err != nil {
		return nil, err
	}
	if out.Candidates == nil {
		return nil, errors.New("abis: POST /identify answered without candidates")
	}
	cands := *out.Candidates
	for _, c := range cands {
		if c.SubjectID == "" || !validScore(c.Score) {
			return nil, fmt.Errorf("abis: POST /identify answered a candidate without a subject or with a score outside [-1, 1]")
		}
	}
	return cands[:min(len(cands), limit)], nil
}

func (h *HTTP) Verify(ctx context.Context, subjectID string, embedding []float32) (float64, error) {
	if err := CheckEmbedding(embedding); err != nil {
		return 0, err
	}
	var out struct {
		Score *float64 `json:"score"`
	}
	err := h.post(ctx, "/verify", map[string]any{"subject_id": subjectID, "embedding": embedding}, &out)
	if ae, ok := errors.AsType[*ABISError](err); ok && ae.Status == http.StatusNotFound {
		return 0, ErrUnknownSubject
	}
	if err != nil {
		return 0, err
	}
	if out.Score == nil || !validScore(*out.Score) {
		return 0, errors.New("abis: POST /verify answered without a score in [-1, 1]")
	}
	return *out.Score, nil
}

func validScore(s float64) bool { return s >= -1 && s <= 1 }

func (h *HTTP) post(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := h.client.Do(req)
	if err != nil {
		// The error names the URL, never the body (biometric data).
		return fmt.Errorf("abis: POST %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return &ABISError{Path: path, Status: resp.StatusCode, Body: string(snippet)}
	}
	if out == nil {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return nil
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(out); err != nil {
		return fmt.Errorf("abis: POST %s: the answer is not the contract's JSON: %w", path, err)
	}
	return nil
}
