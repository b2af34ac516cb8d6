package devices_test

import (
	"context"
	"testing"

	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/devices"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// An admin renames a device and places it at a booth of the office; a
// revoked device's token is refused at once; another office's admin finds
// none of the office's devices (404).
func TestDeviceRenameMoveRevoke(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	if err := in.App.Queue.SetBooth(context.Background(), "JKS", queue.Booth{Number: 3, Name: "Loket 3", Services: civil.OSSBoothServices}, "test"); err != nil {
		t.Fatal(err)
	}
	admin := in.OfficerToken(t, "JKS", "jks.devadm", "admin")
	dev := in.DeviceToken(t, "JKS", "display", "TV Lobi")
	list := in.Do(t, "GET", "/api/v1/backoffice/devices", admin, nil)
	var got struct{ Devices []devices.Device }
	list.JSON(t, &got)
	if len(got.Devices) != 1 {
		t.Fatalf("devices: %s", list.Body)
	}
	id := got.Devices[0].ID.String()

	r := in.Do(t, "POST", "/api/v1/backoffice/devices/"+id+"/rename", admin, map[string]string{"name": "TV Ruang Tunggu"})
	var d devices.Device
	r.JSON(t, &d)
	if r.Status != 200 || d.Name != "TV Ruang Tunggu" {
		t.Errorf("rename: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/backoffice/devices/"+id+"/rename", admin, map[string]string{"name": ""}); r.Status != 422 {
		t.Errorf("empty name: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/backoffice/devices/"+id+"/move", admin, map[string]int{"booth": 9}); r.Status != 422 {
		t.Errorf("move to a booth the office lacks: %d %s", r.Status, r.Body)
	}
	r = in.Do(t, "POST", "/api/v1/backoffice/devices/"+id+"/move", admin, map[string]int{"booth": 3})
	d = devices.Device{}
	r.JSON(t, &d)
	if r.Status != 200 || d.Booth == nil || *d.Booth != 3 {
		t.Errorf("move: %d %s", r.Status, r.Body)
	}
	// Renamed and moved, the token still works.
	if r := in.Do(t, "POST", "/api/v1/devices/heartbeat", dev, map[string]string{"status": "ok"}); r.Status != 200 {
		t.Errorf("heartbeat after rename: %d %s", r.Status, r.Body)
	}

	other := in.OfficerToken(t, "DPS", "dps.devadm", "admin")
	for _, op := range []string{"rename", "move", "revoke"} {
		if r := in.Do(t, "POST", "/api/v1/backoffice/devices/"+id+"/"+op, other, map[string]any{"name": "x", "booth": 0}); r.Status != 404 {
			t.Errorf("DPS admin %s on a JKS device: %d", op, r.Status)
		}
	}
	if r := in.Do(t, "POST", "/api/v1/backoffice/devices/"+id+"/revoke", admin, nil); r.Status != 200 {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/devices/heartbeat", dev, map[string]string{"status": "ok"}); r.Status != 401 {
		t.Errorf("revoked device's heartbeat: %d", r.Status)
	}
	if r := in.Do(t, "POST", "/api/v1/backoffice/devices/"+id+"/rename", admin, map[string]string{"name": "lagi"}); r.Status != 404 {
		t.Errorf("renaming a revoked device: %d", r.Status)
	}
}
