package edge_test

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/sms/smstest"
)

// applicant is one citizen of the log proof, with values of their own.
type applicant struct {
	phone, local, nik, name, birth string
	token, booking, otp            string
}

var syllables = []string{"ka", "la", "ra", "sa", "ti", "wi", "ni", "da", "ma", "yu", "so", "ho", "pu", "re"}

func newApplicant(r *rand.Rand, i int) *applicant {
	surname := ""
	for range 4 {
		surname += syllables[r.IntN(len(syllables))]
	}
	birth := fmt.Sprintf("19%02d-%02d-%02d", 60+r.IntN(30), 1+r.IntN(12), 1+r.IntN(28))
	nat := fmt.Sprintf("8%d%08d", 11+r.IntN(9), r.IntN(100_000_000))
	return &applicant{phone: "+62" + nat, local: "0" + nat, nik: apptest.NIK(birth, true, 1000+i),
		name: "Sekar " + strings.ToUpper(surname[:1]) + surname[1:], birth: birth}
}

func (a *applicant) plant(p planted) {
	p.add("NIK", a.nik)
	p.add("name", a.name[len("Sekar "):])
	p.add("phone", a.phone[3:]) // every written form holds it: 08…, 628…, +628…
	p.add("birth date", a.birth)
}

// signInAndBook signs in by OTP (the API, or the page) and books; a second
// booking with a wrong birth date is refused.
func (a *applicant) signInAndBook(t *testing.T, in *apptest.Instance, p planted, page bool) {
	if page {
		a.token = a.pageSignIn(t, in)
	} else {
		in.Do(t, "POST", "/api/v1/auth/otp", "", map[string]string{"phone": a.local})
		in.Do(t, "POST", "/api/v1/auth/verify", "", map[string]string{"phone": a.local, "code": "000000"})
		a.otp = in.LastOTP(t, a.phone)
		var v struct{ Token string }
		in.Do(t, "POST", "/api/v1/auth/verify", "", map[string]string{"phone": a.local, "code": a.otp}).JSON(t, &v)
		a.token = v.Token
	}
	p.add("OTP code", a.otp)
	p.add("token", a.token[20:60])
	body := func(birth string) map[string]string {
		return map[string]string{"office": "JKS", "date": "2026-03-04", "service": "new", "nik": a.nik, "full_name": a.name,
			"birth_date": birth, "sex": "F"}
	}
	var b struct {
		BookingCode string `json:"booking_code"`
	}
	r := in.Do(t, "POST", "/api/v1/bookings", a.token, body(a.birth))
	if r.Status != 201 {
		t.Fatalf("booking: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &b)
	a.booking = b.BookingCode
	p.add("booking code", a.booking)
	in.Do(t, "POST", "/api/v1/bookings", a.token, body("1959-01-01"))
	in.Do(t, "GET", "/api/v1/bookings/"+a.booking, a.token, nil)
	in.Do(t, "GET", "/api/v1/bookings?phone="+a.local+"&nik="+a.nik, a.token, nil)
}

// pageSignIn is the citizen's sign-in by the pages; the session cookie is
// the token.
func (a *applicant) pageSignIn(t *testing.T, in *apptest.Instance) string {
	ck := "sppt_csrf=" + apptest.CSRF
	apptest.Page(t, "POST", in.URL+"/login", ck, url.Values{"_csrf": {apptest.CSRF}, "phone": {a.local}})
	a.otp = in.LastOTP(t, a.phone)
	st, h, body := apptest.Page(t, "POST", in.URL+"/login/verify", ck, url.Values{"_csrf": {apptest.CSRF}, "phone": {a.local}, "code": {a.otp}})
	tok := cookieValue(h.Values("Set-Cookie"), "sppt_session")
	if tok == "" {
		t.Fatalf("page sign-in: %d, no session cookie\n%.300s", st, body)
	}
	apptest.Page(t, "GET", in.URL+"/bookings", "sppt_session="+tok, nil)
	return tok
}

// afterPipeline looks the application up as the officers and the SMS do.
func (a *applicant) afterPipeline(t *testing.T, in *apptest.Instance, no string) {
	text(t, in, a.phone, "STATUS "+no)
	in.Do(t, "GET", "/api/v1/applications/"+no+"/status?birth_date="+a.birth, "", nil)
}

// lookUpAndText: status look-ups with right and wrong birth dates, by the
// API and the page, and SMS keywords (one carrying the NIK as a careless
// citizen would).
func (a *applicant) lookUpAndText(t *testing.T, in *apptest.Instance) {
	in.Do(t, "GET", "/api/v1/applications/JKS-260304-9999/status?birth_date="+a.birth, "", nil)
	apptest.Page(t, "POST", in.URL+"/status", "sppt_csrf="+apptest.CSRF, url.Values{"_csrf": {apptest.CSRF},
		"application_no": {"JKS-260304-9998"}, "birth_date": {a.birth}})
	text(t, in, a.phone, "KUOTA JKS")
	text(t, in, a.phone, "DAFTAR "+a.nik+" "+a.name)
}

// text sends an SMS to the service as Twilio's signed webhook does.
func text(t *testing.T, in *apptest.Instance, from, body string) {
	form := url.Values{"MessageSid": {fmt.Sprintf("SM%032d", sidSeq.Add(1))}, "AccountSid": {twilioAccount},
		"From": {from}, "To": {"+14155550100"}, "Body": {body}, "NumMedia": {"0"}}
	sig := smstest.Sign(twilioToken, in.URL+"/api/v1/sms/inbound", form)
	r := in.Do(t, "POST", "/api/v1/sms/inbound", "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded",
		"X-Twilio-Signature", sig)
	if r.Status != 200 {
		t.Errorf("SMS %q: %d %s", strings.Fields(body)[0], r.Status, r.Body)
	}
}
