package portal

import (
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v3"
)

// openAllUpTo is how many offices the home page shows expanded; with more,
// each province is a closed <details> until searched or opened.
const openAllUpTo = 12

type provinceGroup struct {
	Name    string
	Offices []homeOffice
}

type homeView struct {
	Query  string
	Groups []provinceGroup
	Total  int  // offices in the country
	Found  int  // offices matching Query
	Open   bool // provinces shown expanded
	NoneOf bool // a search that matched nothing
}

// homeView groups the offices matching q (every word of it in the name,
// city, province or code, ignoring case) by province, each with its seats
// today. Works as a plain GET form; app.js filters the same way as one types.
func (s *Service) homeView(c fiber.Ctx, offices []Office, q string) (homeView, error) {
	q = strings.TrimSpace(q)
	if len(q) > 100 {
		q = q[:100]
	}
	v := homeView{Query: q, Total: len(offices)}
	words := strings.Fields(searchText(q))
	byProvince := map[string]*provinceGroup{}
	for _, o := range offices {
		if !matchesAll(officeSearchText(o), words) {
			continue
		}
		t, err := s.today(c, o)
		if err != nil {
			return v, err
		}
		name := o.Province
		if name == "" {
			name = o.City
		}
		g, ok := byProvince[name]
		if !ok {
			g = &provinceGroup{Name: name}
			byProvince[name] = g
		}
		g.Offices = append(g.Offices, homeOffice{Office: o, Today: t})
		v.Found++
	}
	for _, g := range byProvince {
		v.Groups = append(v.Groups, *g)
	}
	slices.SortFunc(v.Groups, func(a, b provinceGroup) int { return strings.Compare(a.Name, b.Name) })
	v.Open = q != "" || v.Total <= openAllUpTo
	v.NoneOf = q != "" && v.Found == 0
	return v, nil
}

// officeSearchText is what a search looks in (also data-search for app.js).
func officeSearchText(o Office) string {
	return searchText(o.Name + " " + o.City + " " + o.Province + " " + o.Code)
}

// searchText lowercases and turns punctuation into spaces ("Soekarno-Hatta"
// is found by "hatta").
func searchText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return ' '
	}, s)
}

func matchesAll(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// canonicalOfficePath is the office page's address with the code in
// capitals (CONTRACT.md's form), when the request used another case.
func canonicalOfficePath(c fiber.Ctx) (string, bool) {
	code := c.Params("code")
	up := strings.ToUpper(code)
	if up == code || !validOfficeCode(up) {
		return "", false
	}
	path := "/offices/" + url.PathEscape(up)
	if q := string(c.Request().URI().QueryString()); q != "" {
		path += "?" + q
	}
	return path, true
}

// Search is the office's search text, for app.js's filter.
func (o homeOffice) Search() string { return officeSearchText(o.Office) }
