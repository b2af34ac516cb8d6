package attacks

import (
	"encoding/base64"
	"strings"

	"github.com/sppt/sppt/internal/civil"
)

// fixture is one id-taking route aimed at a real resource of office A.
type fixture struct {
	path  string // the filled path, e.g. /api/v1/bookings/ABC123
	body  any
	owner string // the rightful actor: must not be refused
	// peer has the right audience and role or kind but the wrong owner:
	// another citizen, an officer of office B, a device of office B.
	peer string
	// role is an officer of office A without the route's role ("" when
	// any officer of the office may call it); kind a device of office A of
	// another kind.
	role, kind string
	// scoped is set when the id is relative to the caller's office (a
	// booth number): the peer then addresses its own office, and what must
	// hold is that office A's state (scoped's answer) is unchanged.
	scoped func() string
	// wrongPaths are the same route at a wrong path (name → path), sent
	// as the owner: a public route's guard, e.g. a wrong birth date.
	wrongPaths map[string]string
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// fixtures aims every id-taking route the matrix knows. A route of the
// document missing here fails the matrix (matrix_test.go).
func (w *world) fixtures() map[string]fixture {
	// Bookings are taken before the office day, each by a citizen of its
	// own; the other citizen holds a booking of office A too.
	type booked struct{ code, phone, nik string }
	var bookings []booked
	for range 8 {
		code, phone, nik := w.booking()
		bookings = append(bookings, booked{code, phone, nik})
	}
	intake := bookings[6:] // checked in and taken in at the desk
	w.start()
	A, B := w.officer[officeA], w.officer[officeB]
	dA, dB := w.device[officeA], w.device[officeB]
	f := map[string]fixture{}
	officer := func(key, path string, body any, role, wrong string) {
		f[key] = fixture{path: path, body: body, owner: A[role], peer: B[role], role: A[wrong]}
	}
	citizen := func(key, suffix string, body any) {
		b := bookings[0]
		bookings = bookings[1:]
		f[key] = fixture{path: "/api/v1/bookings/" + b.code + suffix, body: body, owner: w.in.CitizenToken(w.t, b.phone), peer: w.other}
	}
	citizen("GET /api/v1/bookings/{code}", "", nil)
	citizen("DELETE /api/v1/bookings/{code}", "", nil)
	citizen("GET /api/v1/bookings/{code}/calendar.ics", "/calendar.ics", nil)
	citizen("POST /api/v1/bookings/{code}/accept", "/accept", nil)
	citizen("POST /api/v1/bookings/{code}/reschedule", "/reschedule", map[string]string{"date": "2026-03-05"})
	citizen("POST /api/v1/bookings/{code}/documents", "/documents",
		map[string]string{"kind": "family_card", "data": b64([]byte{0xFF, 0xD8, 0xFF, 0xE0, 'k', 'k'})})

	const bo = "/api/v1/backoffice/"
	desk := w.takenIn(intake[0].code, intake[0].nik)
	officer("GET /api/v1/backoffice/intake/{application_no}", bo+"intake/"+desk, nil, "desk", "biometric")
	officer("PUT /api/v1/backoffice/intake/{application_no}", bo+"intake/"+desk,
		map[string]any{"checklist": map[string]bool{"ktp": true, "family_card": true, "birth_certificate": true}}, "desk", "cashier")
	officer("POST /api/v1/backoffice/intake/{application_no}/scans", bo+"intake/"+desk+"/scans",
		map[string]string{"kind": "ktp", "data": b64([]byte{0xFF, 0xD8, 0xFF, 0xE0, 's'})}, "desk", "pickup")
	officer("GET /api/v1/backoffice/intake/{application_no}/scans/{id}", bo+"intake/"+desk+"/scans/"+w.scan(desk), nil, "desk", "validator")
	officer("GET /api/v1/backoffice/intake/{application_no}/receipt", bo+"intake/"+desk+"/receipt", nil, "desk", "printer")
	officer("POST /api/v1/backoffice/intake/{application_no}/handover", bo+"intake/"+w.takenIn(intake[1].code, intake[1].nik)+"/handover", nil, "desk", "supervisor")
	officer("POST /api/v1/backoffice/applications/{application_no}/feedback", bo+"applications/"+desk+"/feedback",
		map[string]any{"point": "desk", "score": 5}, "desk", "cashier")
	officer("GET /api/v1/backoffice/applications/{application_no}", bo+"applications/"+desk, nil, "validator", "")
	officer("POST /api/v1/backoffice/applications/{application_no}/transitions", bo+"applications/"+w.app(civil.StageQueued)+"/transitions",
		map[string]string{"to": "desk"}, "desk", "cashier")

	for _, d := range []string{"approve", "reject", "escalate"} {
		officer("POST /api/v1/backoffice/adjudication/{application_no}/"+d, bo+"adjudication/"+w.app(civil.StageAdjudication)+"/"+d,
			map[string]string{"reason": "dokumen diperiksa"}, "adjudicator", "desk")
	}
	bill := w.billed()
	officer("GET /api/v1/backoffice/bills/{billing_code}", bo+"bills/"+bill, nil, "cashier", "desk")
	officer("POST /api/v1/backoffice/bills/{billing_code}/cashier-payment", bo+"bills/"+bill+"/cashier-payment",
		map[string]any{"amount": 350000, "receipt_no": "KW-1"}, "cashier", "desk")

	hold := w.onHold()
	officer("GET /api/v1/backoffice/exceptions/{application_no}", bo+"exceptions/"+hold, nil, "supervisor", "desk")
	officer("PUT /api/v1/backoffice/exceptions/{application_no}/bap", bo+"exceptions/"+hold+"/bap", map[string]any{
		"statement": "Saya tidak pernah berurusan dengan KPK.", "findings": "Nama sama; NIK berbeda.", "examiner_name": "Drs. Bambang",
		"fields": map[string]string{"watchlist_entry": "#1", "identity_confirmed": "no"}}, "supervisor", "validator")
	officer("POST /api/v1/backoffice/exceptions/{application_no}/recommendation", bo+"exceptions/"+hold+"/recommendation",
		map[string]string{"outcome": "reject", "text": "Identitas cocok dengan daftar."}, "validator", "supervisor")
	f["POST /api/v1/backoffice/exceptions/{application_no}/decision"] = fixture{path: bo + "exceptions/" + hold + "/decision",
		body: map[string]string{"outcome": "rejected", "reason": "Identitas cocok."}, owner: w.headA, peer: w.headB, role: A["desk"]}

	officer("POST /api/v1/backoffice/validations/{application_no}/approve", bo+"validations/"+w.printed(civil.StageValidation)+"/approve", nil, "validator", "printer")
	officer("POST /api/v1/backoffice/validations/{application_no}/reprint", bo+"validations/"+w.printed(civil.StageValidation)+"/reprint",
		map[string]string{"reason": "MRZ buram"}, "validator", "printer")
	ready := w.printed(civil.StageReady)
	officer("GET /api/v1/backoffice/pickups/{application_no}", bo+"pickups/"+ready, nil, "pickup", "desk")
	officer("POST /api/v1/backoffice/pickups/{application_no}/handover", bo+"pickups/"+ready+"/handover", nil, "pickup", "desk")
	passport := "A7000001"
	w.in.OldPassport(w.t, officeA, w.applicant().NIK, passport)
	officer("GET /api/v1/backoffice/passports/{passport_no}", bo+"passports/"+passport, nil, "printer", "")

	// A booth number is office-relative: office B's officer addresses
	// booth 7 of office B (which it may create), never office A's.
	booth := bo + "booths/" + w.booth(7)
	boothed := func(key, path string, body any, role, wrong string) {
		officer(key, path, body, role, wrong)
		g := f[key]
		g.scoped = w.booths
		f[key] = g
	}
	boothed("PUT /api/v1/backoffice/booths/{booth}", booth, map[string]any{"name": "Loket 7", "services": []string{"pickup"}}, "supervisor", "desk")
	for _, a := range []string{"call-next", "recall", "no-show", "complete"} {
		boothed("POST /api/v1/backoffice/booths/{booth}/"+a, booth+"/"+a, nil, "desk", "cashier")
	}
	boothed("POST /api/v1/backoffice/booths/{booth}/transfer", booth+"/transfer", map[string]any{"service": "renewal"}, "desk", "cashier")

	officer("POST /api/v1/backoffice/devices/{id}/revoke", bo+"devices/"+w.deviceID("revoke me")+"/revoke", nil, "admin", "desk")
	officer("POST /api/v1/backoffice/devices/{id}/rename", bo+"devices/"+w.deviceID("rename me")+"/rename", map[string]string{"name": "Layar 2"}, "admin", "desk")
	officer("POST /api/v1/backoffice/devices/{id}/move", bo+"devices/"+w.deviceID("move me")+"/move", map[string]int{"booth": 7}, "admin", "desk")

	status := "/api/v1/applications/" + desk + "/status?birth_date="
	f["GET /api/v1/applications/{application_no}/status"] = fixture{path: status + "1990-10-20", wrongPaths: map[string]string{
		"a wrong birth date": status + "1990-10-21", "an unknown number": "/api/v1/applications/" +
			strings.Replace(desk, officeA, officeB, 1) + "/status?birth_date=1990-10-20"}}
	f["POST /api/v1/devices/print-jobs/{job_id}/result"] = fixture{path: "/api/v1/devices/print-jobs/" + w.printJob() + "/result",
		body: map[string]string{"serial": "A0000001", "result": "printed"}, owner: dA["printer"], peer: dB["printer"], kind: dA["kiosk"]}
	f["POST /api/v1/kiosk/tickets/{ticket}/near"] = fixture{path: "/api/v1/kiosk/tickets/" + w.walkin() + "/near",
		body: map[string]string{"phone": "081234567890"}, owner: dA["kiosk"], peer: dB["kiosk"], kind: dA["printer"]}
	return f
}
