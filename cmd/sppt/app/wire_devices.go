package app

import (
	"context"

	"github.com/sppt/sppt/devices"
	"github.com/sppt/sppt/quota"
)

// officeHours gives devices the office calendar's zone and opening hours.
type officeHours struct{ a *App }

func (o officeHours) Hours(ctx context.Context, office string) (devices.OfficeHours, error) {
	off, err := quota.GetOffice(ctx, o.a.Pool, office)
	if err != nil {
		return devices.OfficeHours{}, err
	}
	return devices.OfficeHours{Timezone: off.Timezone, Opens: off.Opens, Closes: off.Closes}, nil
}
