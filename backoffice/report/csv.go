package report

import (
	"encoding/csv"
	"io"
	"strconv"
)

// CSV is the recap in long form, one figure a line — office, date, figure,
// service, stage, value — so a spreadsheet pivots it any way; "n/a" is a
// figure whose source is not wired.
func CSV(w io.Writer, recaps []Recap) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"office", "date", "figure", "service", "stage", "value"})
	for _, r := range recaps {
		put := func(figure, service, stage, value string) {
			_ = cw.Write([]string{r.Office, r.Date, figure, service, stage, value})
		}
		put("applications", "", "", strconv.Itoa(r.Applications))
		for _, row := range r.ByService {
			for _, st := range Stages {
				if n := row.Stages[string(st)]; n > 0 {
					put("applications", row.Service, string(st), strconv.Itoa(n))
				}
			}
		}
		put("issued", "", "", strconv.Itoa(r.Issued))
		put("blanks_used", "", "", na(r.Blanks, func(b *BlankFigures) string { return strconv.Itoa(b.Used) }))
		put("blanks_spoiled", "", "", na(r.Blanks, func(b *BlankFigures) string { return strconv.Itoa(b.Spoiled) }))
		put("revenue_idr", "", "", na(r.Revenue, func(v *RevenueFigures) string { return strconv.FormatInt(v.Amount, 10) }))
		put("bills_paid", "", "", na(r.Revenue, func(v *RevenueFigures) string { return strconv.Itoa(v.Paid) }))
		put("sla_met", "", "", na(r.SLA, func(v *SLAFigures) string { return strconv.Itoa(v.Met) }))
		put("sla_missed", "", "", na(r.SLA, func(v *SLAFigures) string { return strconv.Itoa(v.Missed) }))
		put("sla_attainment_pct", "", "", na(r.SLA, func(v *SLAFigures) string { return pct(v.Percent) }))
		put("satisfaction_mean", "", "", na(r.Satisfaction, func(v *SatisfactionIndex) string { return mean(v) }))
		put("satisfaction_responses", "", "", na(r.Satisfaction, func(v *SatisfactionIndex) string { return strconv.Itoa(v.N) }))
	}
	cw.Flush()
	return cw.Error()
}

func na[T any](p *T, f func(*T) string) string {
	if p == nil {
		return "n/a"
	}
	return f(p)
}

// pct is a percentage with one decimal, or "n/a" when nothing was measured.
func pct(p float64) string {
	if p < 0 {
		return "n/a"
	}
	return strconv.FormatFloat(p, 'f', 1, 64)
}

func mean(s *SatisfactionIndex) string {
	if s.N == 0 {
		return "n/a"
	}
	return strconv.FormatFloat(s.Mean, 'f', 2, 64)
}
