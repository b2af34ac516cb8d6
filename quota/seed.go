package quota

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// ReferenceOffices are the demo seed's offices (DOMAIN.md): the nine pilot
// offices of the 2014 redesign plus one each in WITA and WIT.
var ReferenceOffices = []Office{
	{Code: "JKS", Name: "Kantor Imigrasi Kelas I Khusus Non TPI Jakarta Selatan", City: "Jakarta Selatan", Region: "DKI Jakarta", Timezone: "Asia/Jakarta", Address: "Jl. Warung Buncit Raya No. 207, Mampang Prapatan, Jakarta Selatan"},
	{Code: "JKB", Name: "Kantor Imigrasi Kelas I Jakarta Barat", City: "Jakarta Barat", Region: "DKI Jakarta", Timezone: "Asia/Jakarta", Address: "Jl. Pos Kota No. 4, Tamansari, Jakarta Barat"},
	{Code: "JKP", Name: "Kantor Imigrasi Kelas I Non TPI Jakarta Pusat", City: "Jakarta Pusat", Region: "DKI Jakarta", Timezone: "Asia/Jakarta", Address: "Jl. Merpati Blok B-12 No. 3, Kemayoran, Jakarta Pusat"},
	{Code: "SHT", Name: "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta", City: "Tangerang", Region: "Banten", Timezone: "Asia/Jakarta", Address: "Jl. Raya Bandara Soekarno-Hatta, Benda, Kota Tangerang"},
	{Code: "MDN", Name: "Kantor Imigrasi Kelas I Khusus TPI Medan", City: "Medan", Region: "Sumatera Utara", Timezone: "Asia/Jakarta", Address: "Jl. Gatot Subroto No. 268A, Medan Sunggal, Medan"},
	{Code: "BTM", Name: "Kantor Imigrasi Kelas I Khusus TPI Batam", City: "Batam", Region: "Kepulauan Riau", Timezone: "Asia/Jakarta", Address: "Jl. Ahmad Yani, Batam Centre, Batam"},
	{Code: "BDG", Name: "Kantor Imigrasi Kelas I TPI Bandung", City: "Bandung", Region: "Jawa Barat", Timezone: "Asia/Jakarta", Address: "Jl. Surapati No. 82, Cibeunying Kaler, Bandung"},
	{Code: "SBY", Name: "Kantor Imigrasi Kelas I Khusus TPI Surabaya", City: "Surabaya", Region: "Jawa Timur", Timezone: "Asia/Jakarta", Address: "Jl. Letjend S. Parman No. 58A, Waru, Sidoarjo"},
	{Code: "DPS", Name: "Kantor Imigrasi Kelas I TPI Denpasar", City: "Denpasar", Region: "Bali", Timezone: "Asia/Makassar", Address: "Jl. D.I. Panjaitan No. 3, Renon, Denpasar"},
	{Code: "MKS", Name: "Kantor Imigrasi Kelas I TPI Makassar", City: "Makassar", Region: "Sulawesi Selatan", Timezone: "Asia/Makassar", Address: "Jl. Perintis Kemerdekaan Km. 13, Tamalanrea, Makassar"},
	{Code: "JYP", Name: "Kantor Imigrasi Kelas I TPI Jayapura", City: "Jayapura", Region: "Papua", Timezone: "Asia/Jayapura", Address: "Jl. Percetakan No. 15, Jayapura Utara, Jayapura"},
}

type holiday struct {
	day, kind, name string
}

// Holidays2026 are the national holidays and collective leave of 2026 (SKB 3
// Menteri, September 2025). Islamic dates can move: this is seed data that an
// admin edits in the database afterwards, never code that decides.
var Holidays2026 = []holiday{
	{"2026-01-01", "national", "Tahun Baru 2026 Masehi"},
	{"2026-01-16", "national", "Isra Mikraj Nabi Muhammad SAW"},
	{"2026-02-16", "collective_leave", "Cuti bersama Tahun Baru Imlek"},
	{"2026-02-17", "national", "Tahun Baru Imlek 2577 Kongzili"},
	{"2026-03-18", "collective_leave", "Cuti bersama Hari Suci Nyepi"},
	{"2026-03-19", "national", "Hari Suci Nyepi Tahun Baru Saka 1948"},
	{"2026-03-20", "collective_leave", "Cuti bersama Idul Fitri 1447 H"},
	{"2026-03-21", "national", "Idul Fitri 1447 H"},
	{"2026-03-22", "national", "Idul Fitri 1447 H"},
	{"2026-03-23", "collective_leave", "Cuti bersama Idul Fitri 1447 H"},
	{"2026-03-24", "collective_leave", "Cuti bersama Idul Fitri 1447 H"},
	{"2026-04-03", "national", "Wafat Yesus Kristus"},
	{"2026-04-05", "national", "Kebangkitan Yesus Kristus (Paskah)"},
	{"2026-05-01", "national", "Hari Buruh Internasional"},
	{"2026-05-14", "national", "Kenaikan Yesus Kristus"},
	{"2026-05-15", "collective_leave", "Cuti bersama Kenaikan Yesus Kristus"},
	{"2026-05-27", "national", "Idul Adha 1447 H"},
	{"2026-05-28", "collective_leave", "Cuti bersama Idul Adha 1447 H"},
	{"2026-05-31", "national", "Hari Raya Waisak 2570 BE"},
	{"2026-06-01", "national", "Hari Lahir Pancasila"},
	{"2026-06-16", "national", "Tahun Baru Islam 1448 H"},
	{"2026-08-17", "national", "Hari Kemerdekaan Republik Indonesia"},
	{"2026-08-25", "national", "Maulid Nabi Muhammad SAW"},
	{"2026-12-24", "collective_leave", "Cuti bersama Hari Raya Natal"},
	{"2026-12-25", "national", "Hari Raya Natal"},
}

// SeedReference upserts offices and holidays; running it twice changes nothing.
func SeedReference(ctx context.Context, tx pgx.Tx) error {
	b := &pgx.Batch{}
	for _, o := range ReferenceOffices {
		b.Queue(`INSERT INTO offices (code, name, city, region, timezone, address) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, city = excluded.city, region = excluded.region,
			timezone = excluded.timezone, address = excluded.address`, o.Code, o.Name, o.City, o.Region, o.Timezone, o.Address)
	}
	for _, h := range Holidays2026 {
		b.Queue(`INSERT INTO holidays (day, office, kind, name) VALUES ($1, NULL, $2, $3)
			ON CONFLICT (day, coalesce(office, '')) DO NOTHING`, h.day, h.kind, h.name)
	}
	return tx.SendBatch(ctx, b).Close()
}
