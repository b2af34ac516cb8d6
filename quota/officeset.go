package quota

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// OfficeSpecOn is an office as it stands on a calendar day: its identity,
// the schedule version in force that day (EffectiveFrom: that version's
// first day, zero for the base rules) and its closures from that day on.
// Booths are the queue's and are left out.
func (s *Service) OfficeSpecOn(ctx context.Context, code string, day time.Time) (OfficeSpec, error) {
	r, err := loadRules(ctx, s.Pool, code)
	if err != nil {
		return OfficeSpec{}, err
	}
	day = parseDay(day)
	v := r.versionOn(day)
	sp := OfficeSpec{Code: r.Code, Name: r.Name, City: r.City, Province: r.Region, Timezone: r.Timezone, Address: r.Address,
		EffectiveFrom: v.from, Open: v.open, Opens: v.opens, Closes: v.closes, Online: v.online, Walkin: v.walkin,
		Priority: v.priority, ReleaseCron: v.releaseCron, WindowDays: v.windowDays,
		DrawWindowMinutes: int(v.drawWindow / time.Minute), HoldMinutes: int(v.hold / time.Minute), closuresGiven: true}
	rows, err := s.Pool.Query(ctx, `SELECT day, name FROM holidays WHERE office = $1 AND kind = 'office' AND day >= $2 ORDER BY day`, code, day)
	if err != nil {
		return sp, err
	}
	sp.Closures, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Closure, error) {
		var c Closure
		return c, row.Scan(&c.Day, &c.Name)
	})
	if sp.Closures == nil {
		sp.Closures = []Closure{}
	}
	return sp, err
}

// ScheduleVersion is one dated version of an office's schedule, for the
// admin page's history.
type ScheduleVersion struct {
	From time.Time
	Spec map[string]string // the schedule fields (hours, online, …)
}

// OfficeVersions lists the office's dated versions, oldest first.
func (s *Service) OfficeVersions(ctx context.Context, code string) ([]ScheduleVersion, error) {
	r, err := loadRules(ctx, s.Pool, code)
	if err != nil {
		return nil, err
	}
	var out []ScheduleVersion
	for _, v := range r.versions {
		sp, err := s.OfficeSpecOn(ctx, code, v.from)
		if err != nil {
			return nil, err
		}
		out = append(out, ScheduleVersion{From: v.from, Spec: sp.Record()})
	}
	return out, nil
}

// SetOffice changes some fields of one office (`sppt office set`, the
// admin page): the others stay as they stand on the change's effective
// day (default tomorrow in the office's zone). Refused values come back as
// a *SpecError naming the field.
func (s *Service) SetOffice(ctx context.Context, code string, changes map[string]string, actor string) (OfficeSpec, error) {
	r, err := loadRules(ctx, s.Pool, code)
	if err != nil {
		return OfficeSpec{}, err
	}
	day := r.Day(s.Clock.Now()).AddDate(0, 0, 1)
	if v, ok := changes["effective_from"]; ok {
		if d, err := time.Parse("2006-01-02", v); err == nil {
			day = d
		}
	}
	cur, err := s.OfficeSpecOn(ctx, code, day)
	if err != nil {
		return OfficeSpec{}, err
	}
	rec := cur.Record()
	rec["effective_from"] = dayString(day)
	if _, ok := changes["closures"]; !ok {
		delete(rec, "closures") // unchanged: leave the closures alone
	}
	for k, v := range changes {
		rec[k] = v
	}
	rec["code"] = code
	sp, fe := ParseSpec(rec, 0)
	if len(fe) > 0 {
		return sp, &SpecError{fe}
	}
	_, err = s.ApplyOffices(ctx, []OfficeSpec{sp}, actor, "office.set")
	return sp, err
}
