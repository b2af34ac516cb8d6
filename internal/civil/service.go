package civil

import "slices"

// Service codes (CONTRACT.md).
const (
	ServiceNew         = "new"
	ServiceRenewal     = "renewal"
	ServiceReplacement = "replacement"
	ServicePriority    = "priority"
	ServicePickup      = "pickup"
	ServiceDataChange  = "data_change"
)

// Services in display order, which is their ticket prefixes' order.
var Services = []string{ServiceNew, ServiceRenewal, ServiceReplacement, ServicePriority, ServicePickup, ServiceDataChange}

var prefixes = map[string]string{ServiceNew: "A", ServiceRenewal: "B", ServiceReplacement: "C",
	ServicePriority: "D", ServicePickup: "E", ServiceDataChange: "F"}

// Prefix is the service's ticket prefix (A–F); "" for an unknown code.
func Prefix(service string) string { return prefixes[service] }

// IsService reports whether s is a service code.
func IsService(s string) bool { return slices.Contains(Services, s) }

// Booth groups: what a default One Stop Service booth calls, and what a
// pickup counter calls.
var (
	OSSBoothServices    = []string{ServiceNew, ServiceRenewal, ServiceReplacement, ServicePriority, ServiceDataChange}
	PickupBoothServices = []string{ServicePickup}
)
