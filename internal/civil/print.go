package civil

// PrintJob is what a passport printer is handed when it claims a job
// (CONTRACT.md's Pipeline): the data page to print and its two MRZ lines.
type PrintJob struct {
	JobID         string   `json:"job_id"`
	ApplicationNo string   `json:"application_no"`
	PassportNo    string   `json:"passport_no"`
	BookType      string   `json:"book_type"`
	DataPage      DataPage `json:"data_page"`
	MRZ           []string `json:"mrz"`
}

// DataPage is the personalised page of the passport, as printed.
type DataPage struct {
	Type          string `json:"type"`          // "P"
	IssuingState  string `json:"issuing_state"` // "IDN"
	PassportNo    string `json:"passport_no"`
	FullName      string `json:"full_name"`
	Nationality   string `json:"nationality"` // "INDONESIA"
	BirthDate     string `json:"birth_date"`  // YYYY-MM-DD
	Sex           string `json:"sex"`         // M or F
	IssuedOn      string `json:"issued_on"`
	ExpiresOn     string `json:"expires_on"`
	IssuingOffice string `json:"issuing_office"`
	RegNo         string `json:"reg_no"` // the application number
}

// PrintResult is a printer's report on one job: the blank serial it used
// and whether the page passed QA ("printed") or not ("spoiled", with why).
type PrintResult struct {
	Serial string `json:"serial"`
	Result string `json:"result"`
	Reason string `json:"reason,omitempty"`
}

// Print results.
const (
	PrintPrinted = "printed"
	PrintSpoiled = "spoiled"
)

// PrintOutcome is the answer to a result.
type PrintOutcome struct {
	JobID         string `json:"job_id"`
	ApplicationNo string `json:"application_no"`
	PassportNo    string `json:"passport_no"`
	Serial        string `json:"serial"`
	Result        string `json:"result"`
	// Status is the job's: "printed" (done), or "queued" again for a new blank.
	Status string `json:"status"`
}
