package quota_test

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/quota"
)

const networkFile = "../demo/offices120.csv"

func importNetwork(t *testing.T, e env) quota.ImportResult {
	t.Helper()
	f, err := os.Open(networkFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := e.s.ImportOffices(e.ctx, f, "test")
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The network file loads 120 offices across the three zones (the 11 demo
// offices updated, the rest added), each with a dated schedule, booths and
// an audit entry; and Ambon, in WIT, opens its newest day by its own
// schedule (daily at 09:00 WIT) through the running release sweep.
func TestNetworkFileImportsAndWITOfficeReleasesByItsOwnSchedule(t *testing.T) {
	t.Parallel()
	// 08:59:57 WIT is 06:59:57 WIB: the scheduler's next minute is 3 s of real time away.
	e := start(t, time.Date(2026, 3, 2, 8, 59, 57, 0, wit))
	res := importNetwork(t, e)
	if res.Added != 109 || res.Updated != 11 {
		t.Errorf("import: %+v, want 109 added and the 11 demo offices updated", res)
	}
	if n := count(t, e.in.Pool, `SELECT count(*) FROM offices`); n != 120 {
		t.Fatalf("offices: %d", n)
	}
	for zone, want := range map[string]int{"Asia/Jakarta": 76, "Asia/Makassar": 30, "Asia/Jayapura": 14} {
		if n := count(t, e.in.Pool, `SELECT count(*) FROM offices WHERE timezone = $1`, zone); n != want {
			t.Errorf("%s: %d offices, want %d", zone, n, want)
		}
	}
	if n := count(t, e.in.Pool, `SELECT count(DISTINCT office) FROM office_schedules`); n != 120 {
		t.Errorf("offices with a schedule: %d", n)
	}
	if n := count(t, e.in.Pool, `SELECT count(*) FROM booths WHERE office = 'AMQ'`); n != 10 {
		t.Errorf("Ambon booths: %d", n)
	}
	if n := count(t, e.in.Pool, `SELECT count(*) FROM audit_log WHERE action = 'office.import'`); n != 120 {
		t.Errorf("audit entries: %d", n)
	}
	newest := date("2026-04-01") // today (2 March in WIT) + the 30-day window
	amq := `SELECT count(*) FROM quota_days WHERE office = 'AMQ' AND day = '2026-04-01'`
	if st, err := e.s.Day(e.ctx, "AMQ", newest); err != nil || st.Reason != quota.ReasonNotReleased ||
		!st.ReleasesAt.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, wit)) {
		t.Fatalf("AMQ 1 April before 09:00 WIT: %+v %v", st, err)
	}
	e.clk.Set(time.Date(2026, 3, 2, 9, 0, 59, 500_000_000, wit))
	deadline := time.Now().Add(15 * time.Second)
	for count(t, e.in.Pool, amq) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the release sweep never opened Ambon's 1 April at 09:00 WIT")
		}
		time.Sleep(100 * time.Millisecond)
	}
	var released time.Time
	var online int
	if err := e.in.Pool.QueryRow(e.ctx, `SELECT released_at, online_capacity FROM quota_days WHERE office = 'AMQ' AND day = '2026-04-01'`).
		Scan(&released, &online); err != nil {
		t.Fatal(err)
	}
	if !released.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, wit)) || online != 300 {
		t.Errorf("AMQ 1 April: released %v with %d seats, want 09:00 WIT and 300", released, online)
	}
	// Jakarta Selatan's new weekly release (Fridays 14:00 WIB) starts tomorrow: its 1 April waits for Friday.
	if st, _ := e.s.Day(e.ctx, "JKS", newest); st.Reason != quota.ReasonNotReleased || !st.ReleasesAt.Equal(time.Date(2026, 3, 6, 14, 0, 0, 0, wib)) {
		t.Errorf("JKS 1 April: %+v", st)
	}
}

// A change from next Monday leaves the bookings already made and the days
// already released as they were; days from Monday not yet released get the
// new numbers and hours, days before it the old ones.
func TestScheduleChangeFromNextMondayRewritesNothing(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 9, 0, 0, 0, wib))
	if _, err := e.s.Release(e.ctx, "JKS"); err != nil {
		t.Fatal(err)
	}
	tue := date("2026-03-10")
	b, err := e.s.Book(e.ctx, citizen(1, "JKS", tue))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.SetOffice(e.ctx, "JKS", map[string]string{"effective_from": "2026-03-02", "online": "90"}, "officer:1"); !hasField(err, "effective_from") {
		t.Errorf("a change from today: %v", err)
	}
	_, err = e.s.SetOffice(e.ctx, "JKS", map[string]string{"effective_from": "2026-03-09",
		"hours": "mon-fri 08:00-12:00; sat 08:00-11:00", "online": "mon-fri 90; sat 30", "walkin": "20", "priority": "5"}, "officer:1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.s.Booking(e.ctx, b.Phone, b.Code)
	if err != nil || got.Status != quota.StatusBooked || !got.Date.Equal(tue) {
		t.Errorf("booking after the change: %+v %v", got, err)
	}
	var capacity, booked int
	if err := e.in.Pool.QueryRow(e.ctx, `SELECT online_capacity, online_booked FROM quota_days WHERE office = 'JKS' AND day = $1`, tue).
		Scan(&capacity, &booked); err != nil || capacity != 150 || booked != 1 {
		t.Errorf("released Tuesday: %d seats, %d booked (%v), want 150 and 1", capacity, booked, err)
	}
	if st, _ := e.s.Day(e.ctx, "JKS", tue); !st.Open || st.Online.Capacity != 150 || st.Online.Remaining != 149 {
		t.Errorf("released Tuesday as citizens see it: %+v", st)
	}
	// Beyond today's releases: 2 April (Thursday) follows the new version, a Saturday now opens.
	if st, _ := e.s.Day(e.ctx, "JKS", date("2026-04-02")); st.Online.Capacity != 90 || st.Walkin.Capacity != 20 || st.Priority.Capacity != 5 {
		t.Errorf("2 April under the new version: %+v", st)
	}
	if st, _ := e.s.Day(e.ctx, "JKS", date("2026-04-04")); st.Reason == quota.ReasonWeekend || st.Online.Capacity != 30 {
		t.Errorf("Saturday 4 April under the new version: %+v", st)
	}
	if st, _ := e.s.Day(e.ctx, "JKS", date("2026-03-07")); st.Reason != quota.ReasonWeekend {
		t.Errorf("Saturday 7 March, before the change: %+v", st)
	}
	sp, err := e.s.OfficeSpecOn(e.ctx, "JKS", date("2026-03-16"))
	if err != nil || sp.Record()["hours"] != "mon-fri 08:00-12:00; sat 08:00-11:00" || sp.Record()["online"] != "mon-fri 90; sat 30" {
		t.Errorf("spec from Monday: %+v %v", sp.Record(), err)
	}
	if n := count(t, e.in.Pool, `SELECT count(*) FROM audit_log WHERE action = 'office.set' AND subject = 'office:JKS'`); n != 1 {
		t.Errorf("audit entries: %d", n)
	}
}

func hasField(err error, field string) bool {
	var se *quota.SpecError
	if !errors.As(err, &se) {
		return false
	}
	for _, fe := range se.Errors {
		if fe.Field == field {
			return true
		}
	}
	return false
}

// Bad rows refuse the whole file, each named by line and field.
func TestBadOfficeRowsRefusedWithLineAndField(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 9, 0, 0, 0, wib))
	file := `code,name,city,province,timezone,hours,online,booths
PKU,Kantor Imigrasi Kelas I TPI Pekanbaru,Pekanbaru,Riau,WIB,mon-fri 08:00-16:00,150,1-4 ABCDF; 5 E
PLB,Kantor Imigrasi Kelas I TPI Palembang,Palembang,Sumatera Selatan,Asia/Jakarta,mon-fri 16:00-08:00,150,
dps,Kantor Imigrasi Denpasar,Denpasar,Bali,Asia/Bali,mon-fri 08:00-16:00,lots,1-4 XYZ
`
	_, err := e.s.ImportOffices(e.ctx, strings.NewReader(file), "test")
	var se *quota.SpecError
	if !errors.As(err, &se) {
		t.Fatalf("import: %v", err)
	}
	want := map[string]bool{"3/hours": true, "4/code": true, "4/timezone": true, "4/online": true, "4/booths": true}
	for _, fe := range se.Errors {
		k := strconv.Itoa(fe.Line) + "/" + fe.Field
		if !want[k] {
			t.Errorf("unexpected error %v", fe)
		}
		delete(want, k)
	}
	if len(want) > 0 {
		t.Errorf("errors not reported: %v (got %v)", want, se)
	}
	if n := count(t, e.in.Pool, `SELECT count(*) FROM offices WHERE code = 'PKU'`); n != 0 {
		t.Error("a refused file wrote its good row")
	}
	if !strings.Contains(err.Error(), "line 3, field hours") {
		t.Errorf("message: %v", err)
	}
}

// Holidays load from a file; a year without any stays closed with its own
// reason, and from 1 October the admins are told of next year's gap.
func TestYearWithoutHolidaysClosedUntilLoaded(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 12, 21, 9, 0, 0, 0, wib))
	jan5 := date("2027-01-05")
	if st, err := e.s.Day(e.ctx, "JKS", jan5); err != nil || st.Open || st.Reason != quota.ReasonNoCalendar {
		t.Fatalf("5 January 2027 without holidays: %+v %v", st, err)
	}
	var dn *quota.DateNotOpenError
	if _, err := e.s.Book(e.ctx, citizen(1, "JKS", jan5)); !errors.As(err, &dn) || dn.Reason != quota.ReasonNoCalendar {
		t.Errorf("booking into 2027: %v", err)
	}
	if n, err := e.s.Release(e.ctx, "JKS"); err != nil || count(t, e.in.Pool, `SELECT count(*) FROM quota_days WHERE day >= '2027-01-01'`) != 0 {
		t.Errorf("release opened 2027 days (%d released, %v)", n, err)
	}
	if y, err := e.s.MissingCalendar(e.ctx); err != nil || y != 2027 {
		t.Errorf("missing calendar: %d %v", y, err)
	}
	bad := "day,kind,name,office\n2027-01-01,national,Tahun Baru 2027 Masehi\n2027-13-01,national,Salah\n2027-02-01,office,Renovasi\n"
	if _, err := e.s.ImportHolidays(e.ctx, strings.NewReader(bad), "test"); !strings.Contains(errString(err), "line 3, field day") ||
		!strings.Contains(errString(err), "line 4, field office") {
		t.Errorf("bad holidays file: %v", err)
	}
	good := "day,kind,name,office\n2027-01-01,national,Tahun Baru 2027 Masehi\n2027-01-04,office,Renovasi gedung,JKS\n"
	if n, err := e.s.ImportHolidays(e.ctx, strings.NewReader(good), "test"); err != nil || n != 2 {
		t.Fatalf("holidays import: %d %v", n, err)
	}
	if st, _ := e.s.Day(e.ctx, "JKS", jan5); st.Reason == quota.ReasonNoCalendar || !st.Open {
		t.Errorf("5 January 2027 with holidays: %+v", st)
	}
	if st, _ := e.s.Day(e.ctx, "JKS", date("2027-01-04")); st.Reason != quota.ReasonHoliday || st.HolidayName != "Renovasi gedung" {
		t.Errorf("JKS's own closure: %+v", st)
	}
	if y, _ := e.s.MissingCalendar(e.ctx); y != 0 {
		t.Errorf("missing calendar after the import: %d", y)
	}
	if ok, err := e.s.RemoveHoliday(e.ctx, date("2027-01-04"), "JKS", "test"); !ok || err != nil {
		t.Errorf("remove: %v %v", ok, err)
	}
	if n := count(t, e.in.Pool, `SELECT count(*) FROM audit_log WHERE action IN ('holiday.set', 'holiday.remove')`); n != 3 {
		t.Errorf("audit entries: %d", n)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
