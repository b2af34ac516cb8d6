package quota_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/i18n"
	"github.com/sppt/sppt/quota"
	"github.com/sppt/sppt/sms"
)

// noticeKinds reads every Notice* string constant in quota's sources, so a
// kind added later is checked here without anyone listing it.
func noticeKinds(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.CONST {
				for _, spec := range gd.Specs {
					addNoticeConsts(t, spec.(*ast.ValueSpec), kinds)
				}
			}
		}
	}
	// The parse agrees with the compiled package.
	if kinds["NoticeBooked"] != quota.NoticeBooked || kinds["NoticeDrawEntered"] != quota.NoticeDrawEntered || len(kinds) < 8 {
		t.Fatalf("notice kinds read from source: %v", kinds)
	}
	return kinds
}

func addNoticeConsts(t *testing.T, vs *ast.ValueSpec, kinds map[string]string) {
	for i, id := range vs.Names {
		if !strings.HasPrefix(id.Name, "Notice") {
			continue
		}
		var lit *ast.BasicLit
		if i < len(vs.Values) {
			lit, _ = vs.Values[i].(*ast.BasicLit)
		}
		if lit == nil || lit.Kind != token.STRING {
			t.Errorf("%s: not a string literal; this test cannot read its kind", id.Name)
			continue
		}
		kinds[id.Name], _ = strconv.Unquote(lit.Value)
	}
}

// noticeFor is a notice with the parameters quota's notices carry.
func noticeFor(kind, key string) quota.Notice {
	return quota.Notice{Kind: kind, Phone: "+6281298760001", Office: "JKS", Key: key, Params: map[string]string{
		"code": "ABCD2345", "date": "2026-12-31", "office": "JKS", "office_name": "Kantor Imigrasi Kelas I Khusus Non TPI Jakarta Selatan",
		"service": "data_change", "from": "2026-12-30", "expires": "31-12-2026 16:00 WIB", "position": "2000"}}
}

// Every kind quota can emit has a text in Indonesian and English that names
// the booking and the office: not the raw key, no placeholder left.
func TestEveryNoticeKindHasText(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load(frontend.FS)
	if err != nil {
		t.Fatal(err)
	}
	s := &sms.Service{Catalog: cat}
	for name, kind := range noticeKinds(t) {
		no := noticeFor(kind, "")
		texts := map[string]string{}
		for _, lang := range i18n.Languages {
			text, ok := s.NoticeText(lang, sms.Notice{Kind: no.Kind, Office: no.Office, Params: no.Params}, sms.Office{})
			texts[lang] = text
			switch {
			case !ok || text == "" || strings.HasPrefix(text, "sms.notice."):
				t.Errorf("%s (%s) %s: no text: %q", name, kind, lang, text)
			case strings.ContainsAny(text, "{}"):
				t.Errorf("%s (%s) %s: unfilled placeholder: %q", name, kind, lang, text)
			case !strings.Contains(text, "ABCD2345") || !strings.Contains(text, "Kanim Jakarta Selatan"):
				t.Errorf("%s (%s) %s: the booking code or office is missing: %q", name, kind, lang, text)
			}
		}
		if texts["id"] == texts["en"] {
			t.Errorf("%s (%s): English text is the Indonesian one: %q", name, kind, texts["id"])
		}
	}
}

// Through the wiring: quota's Notifier (one by one) and its batch path
// (group commits) both store the sms package's Indonesian text.
func TestNoticesReachTheOutboxWorded(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC))
	bn, ok := e.s.Notifier.(quota.BatchNotifier)
	if !ok {
		t.Fatalf("quota's Notifier %T has no batch path", e.s.Notifier)
	}
	kinds := noticeKinds(t)
	var batch []quota.Notice
	err := pgx.BeginFunc(e.ctx, e.in.Pool, func(tx pgx.Tx) error {
		for _, kind := range kinds {
			if err := e.s.Notifier.Notify(e.ctx, tx, noticeFor(kind, "one:"+kind)); err != nil {
				return err
			}
			batch = append(batch, noticeFor(kind, "batch:"+kind))
		}
		return bn.NotifyBatch(e.ctx, tx, batch)
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, kind := range kinds {
		var one, many, msgKind string
		_ = e.in.Pool.QueryRow(context.Background(), `SELECT body, kind FROM sms_messages WHERE idem_key = $1`, "one:"+kind).Scan(&one, &msgKind)
		_ = e.in.Pool.QueryRow(context.Background(), `SELECT body FROM sms_messages WHERE idem_key = $1`, "batch:"+kind).Scan(&many)
		if one == "" || one != many || msgKind != kind || strings.Contains(one, "notice.") || !strings.Contains(one, "Kanim Jakarta Selatan") {
			t.Errorf("%s: one by one %q (kind %q), in a batch %q", name, one, msgKind, many)
		}
	}
}
