package idn

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// WatchlistKey turns a person's name as any list or form writes it into the
// canonical key that watchlist matching compares (by trigram similarity). Two
// spellings of one name should give the same key, or keys that differ by a
// letter or two. The key is not a name to show anyone.
//
// The rules, in order (DOMAIN.md, "Names, for watchlist matching"):
//  1. NFKD, diacritics and apostrophes dropped, upper-cased, A–Z only; any
//     other character separates words.
//  2. Titles and honorifics dropped wherever they stand, with or without dots
//     (H., Hj., Drs., Dr., Ir., S.H., S.Kom., M.M., R., R.A., Raden Mas, …),
//     and the patronymic links bin/binti. A name made only of titles keeps them.
//  3. Whole-word variants: the Dutch-era Hokkien surnames (Liem/Lim,
//     Oei/Oey/Ui, Tjan/Chan, Njoo/Nyo, Kwee/Kwik/Que, …) and the spellings of
//     Muhammad.
//  4. Old spellings folded onto one form: oe→u, dj→j, tj→c, ch→kh→h, dh→d,
//     th→t, ph→f, q→k, and y→j. The last one is the Van Ophuijsen ambiguity:
//     old j is today's y, old dj is today's j, so after dj→j the key cannot
//     tell j from y and folds them together (nj/ny and sj/sy follow).
//  5. Doubled letters collapsed (Muhammad/Muhamad, Abdullah/Abdulah).
func WatchlistKey(name string) string {
	words := watchWords(name)
	kept := dropTitles(words)
	if len(kept) == 0 {
		kept = undotted(words)
	}
	for i, w := range kept {
		kept[i] = foldSpelling(w)
	}
	return strings.Join(kept, " ")
}

// watchWords applies rule 1. Dots are kept inside words for now so that
// "S.H." and "S.Kom." can be recognised as one title.
func watchWords(s string) []string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		r = unicode.ToUpper(r)
		switch {
		case r >= 'A' && r <= 'Z', r == '.':
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r), isApostrophe(r):
			// dropped: É -> E, D'Souza -> DSOUZA
		case mrzTranslit[r] != "":
			b.WriteString(mrzTranslit[r]) // ß, Ø, Ł… have no decomposition
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Fields(b.String())
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == '‘' || r == 'ʼ' || r == '`' || r == '´'
}

// watchTitles are titles, degrees and honorifics written before or after
// Indonesian names, without their dots. Two-letter words that are also real
// names (Ma, the Chinese surname) are left out on purpose.
var watchTitles = set(
	// pilgrimage, religious, nobility, address
	"H", "HJ", "HAJI", "HAJAH", "HAJJAH", "KH", "R", "RA", "RM", "RR", "RADEN", "TB", "NY", "TN", "SDR",
	// academic and professional
	"DR", "DRS", "DRA", "IR", "PROF", "SH", "SE", "SKOM", "SPD", "SPDI", "SAG", "SSOS", "SIP", "ST", "SS",
	"SKED", "SPSI", "SHI", "SSI", "SFARM", "SKM", "SSTP", "SPT", "AK", "AMD", "MM", "MH", "MSI", "MPD",
	"MKOM", "MT", "MBA", "MSC", "MAG", "MKES", "MHUM", "PHD", "LLM", "BSC",
	// patronymic links: "Ahmad bin Abdullah" is often listed as "Ahmad Abdullah"
	"BIN", "BINTI",
)

// nobleSecond follows Raden (or R.) in two-word titles: Raden Mas, Raden Ajeng…
// ("R. M. Said" is Raden Mas Said).
var nobleSecond = set("MAS", "M", "AJENG", "A", "AJU", "AYU", "RORO", "NGANTEN")

// dropTitles applies rule 2. A word with inner dots that is not a title as a
// whole ("Drs.H.Ahmad") is split at the dots and each piece judged alone.
func dropTitles(words []string) []string {
	var out []string
	noble := false
	for _, w := range words {
		bare := strings.ReplaceAll(w, ".", "")
		if bare == "" {
			continue
		}
		if noble && nobleSecond[bare] {
			noble = false
			continue
		}
		noble = false
		if watchTitles[bare] {
			noble = bare == "RADEN" || bare == "R"
			continue
		}
		for _, p := range strings.FieldsFunc(w, func(r rune) bool { return r == '.' }) {
			if !watchTitles[p] {
				out = append(out, p)
			}
		}
	}
	return out
}

func undotted(words []string) []string {
	var out []string
	for _, w := range words {
		if w = strings.ReplaceAll(w, ".", ""); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// watchWordVariants is rule 3: whole words whose variants letter folding
// cannot join, mapped to one form (already in folded spelling).
var watchWordVariants = map[string]string{
	"LIEM": "LIM", "LIM": "LIM",
	"OEI": "UI", "OEY": "UI", "OEIJ": "UI", "UI": "UI", "UY": "UI",
	"TJAN": "CAN", "CHAN": "CAN", "CAN": "CAN",
	"NJOO": "NJO", "NJO": "NJO", "NYOO": "NJO", "NYO": "NJO",
	"KWEE": "KWE", "KWIK": "KWE", "QUE": "KWE", "KWE": "KWE",
	"GOUW": "GO", "GOW": "GO", "GO": "GO",
	"THE": "TE", "TEH": "TE",
	"LIE": "LI", "LEE": "LI", "LI": "LI",
	"SIE": "SI", "SI": "SI",
	"MUHAMMAD": "MUHAMAD", "MUHAMAD": "MUHAMAD", "MOHAMMAD": "MUHAMAD", "MOHAMAD": "MUHAMAD",
	"MOHAMMED": "MUHAMAD", "MOHAMED": "MUHAMAD", "MUHAMMED": "MUHAMAD", "MUCHAMMAD": "MUHAMAD",
	"MUCHAMAD": "MUHAMAD", "MOCHAMMAD": "MUHAMAD", "MOCHAMAD": "MUHAMAD", "MOCH": "MUHAMAD",
	"MOH": "MUHAMAD", "MUH": "MUHAMAD", "MHD": "MUHAMAD", "MOHD": "MUHAMAD", "MUHD": "MUHAMAD",
}

// spellingFolds is rule 4. A Replacer scans the word once and, at each
// position, tries the patterns in this order without rescanning its output:
// "DJ" is read before its "J" could be taken alone, "TJ" before a "CH" that
// would start at its second letter.
var spellingFolds = strings.NewReplacer(
	"OE", "U", "DJ", "J", "TJ", "C", "CH", "H", "KH", "H", "DH", "D", "TH", "T", "PH", "F", "Q", "K", "Y", "J",
)

func foldSpelling(w string) string {
	if v, ok := watchWordVariants[w]; ok {
		return v
	}
	w = spellingFolds.Replace(w)
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		if i > 0 && w[i] == w[i-1] {
			continue
		}
		b.WriteByte(w[i])
	}
	return b.String()
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
