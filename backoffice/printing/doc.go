// Package printing is the printing step of the One Stop Service pipeline and
// the keeper of what it prints: the passport register (table passports) and,
// as it grows, the blank-booklet ledger and print jobs.
//
// Other steps ask the register through small interfaces the wiring fills in:
// intake whether a NIK already holds a valid passport, pickup to cancel the
// previous one or to mark it lost.
package printing
