package portal_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/browsertest"
)

// A person opening the portal sees the offices, in Indonesian first and in
// English after switching, on an accessible page.
func TestHomePageInBrowser(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	ctx := browsertest.New(t)
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(in.URL+"/")); err != nil {
		t.Fatal(err)
	}
	lang, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
	if err != nil {
		t.Fatal(err)
	}
	if heading := text("h1"); lang.Value != "id" || !strings.Contains(heading, "paspor") {
		t.Errorf("lang=%q heading=%q", lang.Value, heading)
	}
	table := text("#offices")
	for _, office := range []string{"Jakarta Selatan", "Denpasar", "Jayapura"} {
		if !strings.Contains(table, office) {
			t.Errorf("office %s not listed: %q", office, table)
		}
	}
	browsertest.AssertNoAxeViolations(t, ctx)

	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[hreflang="en"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] h1`)),
	); err != nil {
		t.Fatal(err)
	}
	if heading := text("h1"); !strings.Contains(strings.ToLower(heading), "passport") {
		t.Errorf("English heading = %q", heading)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
}
