// Package migrations holds SPPT's goose SQL migrations, embedded in the binary.
//
// Numbering: 00001–00099 platform, 00100–00199 quota and booking,
// 00200–00299 queue and devices, 00300–00399 SMS, 00400+ backoffice pipeline.
package migrations

import "embed"

//go:embed *.sql
var FS embed.FS
