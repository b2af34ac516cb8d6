package intake

import "github.com/sppt/sppt/internal/civil"

// Documents the desk checks (their words: intake.doc.<code>).
const (
	DocKTP          = "ktp"               // e-KTP
	DocFamilyCard   = "family_card"       // Kartu Keluarga
	DocBirth        = "birth_certificate" // akta kelahiran, or an equivalent (ijazah, surat nikah, surat baptis)
	DocOldPassport  = "old_passport"      // renewals, damaged replacements, data changes
	DocPoliceReport = "police_report"     // a lost passport
	DocSPLP         = "splp"              // a former SPLP holder's travel document
	DocSupporting   = "supporting"        // a data change's evidence (court order, marriage certificate, …)
)

// Replacement reasons (billing's fee rule reads the same codes).
const (
	ReasonLost         = "lost"
	ReasonDamaged      = "damaged"
	ReasonForceMajeure = "force_majeure"
	ReasonSPLP         = "splp"
)

// Reasons are the replacement reasons in display order.
var Reasons = []string{ReasonLost, ReasonDamaged, ReasonForceMajeure, ReasonSPLP}

// ScanKinds are what a scan may be of.
var ScanKinds = []string{DocKTP, DocFamilyCard, DocBirth, DocOldPassport, DocPoliceReport, DocSPLP, DocSupporting, "other"}

// Checklist is the documents a service asks for (a replacement's depend on
// its reason; with none yet, only the common ones).
func Checklist(service, reason string) []string {
	docs := []string{DocKTP, DocFamilyCard}
	switch service {
	case civil.ServiceNew, civil.ServicePriority:
		docs = append(docs, DocBirth)
	case civil.ServiceRenewal:
		docs = append(docs, DocOldPassport)
	case civil.ServiceDataChange:
		docs = append(docs, DocOldPassport, DocSupporting)
	case civil.ServiceReplacement:
		switch reason {
		case ReasonLost:
			docs = append(docs, DocBirth, DocPoliceReport)
		case ReasonDamaged, ReasonForceMajeure:
			docs = append(docs, DocOldPassport)
		case ReasonSPLP:
			docs = append(docs, DocBirth, DocSPLP)
		}
	}
	return docs
}

// Missing is the checklist's documents not ticked.
func Missing(service, reason string, ticked map[string]bool) []string {
	var out []string
	for _, d := range Checklist(service, reason) {
		if !ticked[d] {
			out = append(out, d)
		}
	}
	return out
}
