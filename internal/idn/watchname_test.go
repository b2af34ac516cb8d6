package idn

import "testing"

// Variants of one name give one key; the key of a different name differs.
func TestWatchlistKeyFoldsVariants(t *testing.T) {
	same := [][]string{
		{"Soekarno", "Sukarno", "SUKARNO"},
		{"Djojohadikoesoemo", "Joyohadikusumo"},
		{"Tjokroaminoto", "Cokroaminoto"},
		{"Njoman Soedjana", "Nyoman Sujana"},
		{"Sjahrir", "Syahrir"},
		{"Chairil Anwar", "Khairil Anwar", "Hairil Anwar"},
		{"Achmad Dahlan", "Ahmad Dahlan"},
		{"Hj. Siti Aminah, S.H., M.M.", "Siti Aminah", "HJ SITI AMINAH SH MM"},
		{"Drs.H.Ahmad Yani", "Ahmad Yani"},
		{"R.A. Kartini", "Raden Ajeng Kartini", "Kartini"},
		{"Raden Mas Said", "R. M. Said", "Said"},
		{"Liem Sioe Liong", "Lim Siu Liong"},
		{"Oei Hui Lan", "Oey Hui Lan", "Ui Hui Lan"},
		{"Tjan Tjoe Siem", "Chan Cu Siem"},
		{"Kwee Tek Hoay", "Kwik Tek Hoay", "Que Tek Hoay"},
		{"Njoo Han Siang", "Nyo Han Siang"},
		{"Muhammad Hatta", "Mohammad Hatta", "Moh. Hatta"},
		{"José Émile", "JOSE EMILE"},
		{"Ma'ruf Amin", "Maruf Amin"},
		{"Ahmad bin Abdullah", "Ahmad Abdulah"},
	}
	for _, group := range same {
		want := WatchlistKey(group[0])
		for _, v := range group[1:] {
			if got := WatchlistKey(v); got != want {
				t.Errorf("%q -> %q, but %q -> %q", v, got, group[0], want)
			}
		}
	}
	differ := [][2]string{{"Budi Santoso", "Budi Susanto"}, {"Lim", "Liong"}, {"Ma Ying", "Ying"}}
	for _, p := range differ {
		if WatchlistKey(p[0]) == WatchlistKey(p[1]) {
			t.Errorf("%q and %q share the key %q", p[0], p[1], WatchlistKey(p[0]))
		}
	}
	// Only titles: kept rather than leaving nothing to match.
	if got := WatchlistKey("Raden"); got != "RADEN" {
		t.Errorf("Raden -> %q", got)
	}
	if got := WatchlistKey("  ...  "); got != "" {
		t.Errorf("punctuation only -> %q", got)
	}
}
