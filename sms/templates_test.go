package sms

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/i18n"
	"github.com/sppt/sppt/quota"
)

// The longest reference office name, and a made-up one longer than any.
func longestOfficeNames() []string {
	longest := ""
	for _, o := range quota.ReferenceOffices {
		if len(o.Name) > len(longest) {
			longest = o.Name
		}
	}
	return []string{longest, "Kantor Imigrasi Kelas I Khusus TPI Tanjung Balai Karimun Selatan Raya"}
}

var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

// worst fills a placeholder with the widest value it can take.
func worst(name, office string) string {
	switch name {
	case "office":
		return OfficeLabel(office)
	case "date":
		return "30-12-2026"
	case "online_left", "online_cap", "walkin_left", "walkin_cap", "waiting":
		return "9999"
	case "tickets":
		return strings.TrimSuffix(strings.Repeat("A999, ", maxServing), ", ")
	case "appno":
		return strings.Repeat("W", maxAppNoLen)
	case "minutes":
		return "60"
	case "code", "expires", "stage", "example":
		return strings.Repeat("W", 12)
	}
	return "?"
}

// Every message SPPT sends or replies fits one GSM-7 segment, with the
// longest office name and the widest values, in both languages.
func TestTemplatesFitOneSegment(t *testing.T) {
	cat, err := i18n.Load(frontend.FS)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, k := range []string{"help", "office_unknown", "quota", "quota_none", "quota_closed", "queue", "queue_none",
		"status", "status_unknown", "join", "join_foreign", "stop", "start"} {
		keys = append(keys, "sms.reply."+k)
	}
	for _, k := range []string{KindQuota, KindQueue, KindStatus, KindJoin} {
		keys = append(keys, "sms.usage."+k)
	}
	for _, k := range NoticeKinds {
		keys = append(keys, "sms.notice."+k)
	}
	keys = append(keys, "sms.broadcast.quota", "sms.notice.application_rejected")
	longestStage := ""
	for _, lang := range i18n.Languages {
		for _, st := range civil.Stages {
			if s := cat.T(lang, "sms.stage."+string(st)); utf8.RuneCountInString(s) > utf8.RuneCountInString(longestStage) {
				longestStage = s
			}
		}
	}
	for _, office := range longestOfficeNames() {
		for _, lang := range i18n.Languages {
			for _, key := range keys {
				if !cat.Has(key) {
					t.Errorf("%s missing", key)
					continue
				}
				raw := cat.T(lang, key)
				var params []any
				for _, m := range placeholder.FindAllStringSubmatch(raw, -1) {
					v := worst(m[1], office)
					if m[1] == "stage" {
						v = longestStage
					}
					params = append(params, m[1], v)
				}
				msg := cat.T(lang, key, params...)
				if strings.Contains(msg, "{") {
					t.Errorf("%s/%s: unfilled placeholder in %q", lang, key, msg)
				}
				if n, enc := Segments(msg); n != 1 || enc != GSM7 {
					t.Errorf("%s/%s: %d %s segments (%d chars): %q", lang, key, n, enc, utf8.RuneCountInString(msg), msg)
				}
			}
		}
	}
}

func TestOfficeLabel(t *testing.T) {
	for in, want := range map[string]string{
		"Kantor Imigrasi Kelas I Khusus Non TPI Jakarta Selatan": "Kanim Jakarta Selatan",
		"Kantor Imigrasi Kelas I TPI Denpasar":                   "Kanim Denpasar",
		"Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta":      "Kanim Soekarno-Hatta",
		"Kantor Imigrasi": "Kantor Imigrasi",
		"Kantor Imigrasi Kelas II Pématangsiantar": "Kanim Pématangsiantar",
	} {
		if got := OfficeLabel(in); got != want {
			t.Errorf("OfficeLabel(%q) = %q, want %q", in, got, want)
		}
	}
	if got := OfficeLabel(strings.Repeat("Panjang ", 10)); utf8.RuneCountInString(got) > maxOfficeLabel {
		t.Errorf("label not bounded: %q", got)
	}
}

func TestGSMSafe(t *testing.T) {
	for in, want := range map[string]string{"Kanim ‘Bali’ – Denpasar": "Kanim 'Bali' - Denpasar", "abc😀": "abc", "é ok": "é ok"} {
		if got := GSMSafe(in); got != want || Encoding(got) != GSM7 {
			t.Errorf("GSMSafe(%q) = %q", in, got)
		}
	}
}

func TestTwiMLEscapes(t *testing.T) {
	got := string(TwiML(`a < b & "c" > d`))
	want := `<?xml version="1.0" encoding="UTF-8"?><Response><Message>a &lt; b &amp; &#34;c&#34; &gt; d</Message></Response>`
	if got != want {
		t.Errorf("TwiML = %s", got)
	}
}
