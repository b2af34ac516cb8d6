package report

import (
	"fmt"
	"html"

	"github.com/go-analyze/charts"
)

// The charts are drawn by go-analyze/charts, a maintained pure-Go library
// (a fork of wcharczuk/go-chart) that writes SVG on the server: no script,
// no canvas, nothing for the browser to run. Pages show each chart as an
// <img> with a text alternative, and the same figures in a table beside it.

// Label is the text of a service, stage or series in the reader's language.
type Label func(key string) string

const chartW, chartH = 720, 360

// servicesChart is one office day's applications per service, stacked by
// the stage they are in now.
func servicesChart(r Recap, label Label) ([]byte, error) {
	if r.Applications == 0 {
		return emptyChart(label("report.chart.empty")), nil
	}
	var cats []string
	for _, row := range r.ByService {
		cats = append(cats, label("queue.service."+row.Service))
	}
	var series [][]float64
	var names []string
	for _, st := range Stages {
		vals, any := make([]float64, len(r.ByService)), false
		for i, row := range r.ByService {
			vals[i] = float64(row.Stages[string(st)])
			any = any || vals[i] > 0
		}
		if any {
			series = append(series, vals)
			names = append(names, label("officer.stage."+string(st)))
		}
	}
	opt := charts.NewBarChartOptionWithData(series)
	opt.CategoryAxis.Labels = cats
	opt.Legend.SeriesNames = names
	opt.StackSeries = charts.Ptr(true)
	opt.Title.Text = label("report.chart.services")
	return render(opt)
}

// officesChart is a region's offices side by side: applications and issued.
func officesChart(rr RegionRecap, label Label) ([]byte, error) {
	if len(rr.Offices) == 0 || rr.Total.Applications+rr.Total.Issued == 0 {
		return emptyChart(label("report.chart.empty")), nil
	}
	apps, issued := make([]float64, len(rr.Offices)), make([]float64, len(rr.Offices))
	var cats []string
	for i, o := range rr.Offices {
		cats = append(cats, o.Office)
		apps[i], issued[i] = float64(o.Applications), float64(o.Issued)
	}
	opt := charts.NewBarChartOptionWithData([][]float64{apps, issued})
	opt.CategoryAxis.Labels = cats
	opt.Legend.SeriesNames = []string{label("report.col.applications"), label("report.col.issued")}
	opt.Title.Text = label("report.chart.offices")
	return render(opt)
}

func render(opt charts.BarChartOption) ([]byte, error) {
	opt.Legend.Offset = charts.OffsetRight
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: chartW, Height: chartH})
	if err := p.BarChart(opt); err != nil {
		return nil, fmt.Errorf("report chart: %w", err)
	}
	return p.Bytes()
}

// emptyChart is a day with nothing to draw: a frame that says so (the
// library refuses a chart without values).
func emptyChart(text string) []byte {
	return []byte(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d 80" role="img"><title>%s</title>`+
		`<rect width="100%%" height="100%%" fill="#fff"/><text x="16" y="45" font-family="sans-serif" font-size="16" fill="#1a2330">%s</text></svg>`,
		chartW, html.EscapeString(text), html.EscapeString(text)))
}
