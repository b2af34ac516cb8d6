package billing

import (
	"crypto/rand"
	"math/big"
	"strconv"
)

// CodeLen is the length of a billing code (as SIMPONI's).
const CodeLen = 15

// A billing code is 14 random digits (the first not 0, so no system drops
// it as a leading zero) and a Damm check digit, which catches every single
// mistyped digit and every swap of two neighbours. 9·10¹³ codes make one
// guessed at random a lost cause; the callback's signature and amount check
// stand behind that.
var codeSpace = big.NewInt(9e13)

// NewCode draws a billing code from crypto/rand.
func NewCode() (string, error) {
	n, err := rand.Int(rand.Reader, codeSpace)
	if err != nil {
		return "", err
	}
	body := strconv.FormatInt(n.Int64()+1e13, 10)
	return body + string(rune('0'+damm(body))), nil
}

// ValidCode reports whether s has the form of a billing code and its check
// digit agrees.
func ValidCode(s string) bool {
	if len(s) != CodeLen || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return damm(s) == 0
}

// dammTable is the quasigroup of order 10 from Damm's 2004 thesis.
var dammTable = [10][10]byte{
	{0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
	{7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
	{4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
	{1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
	{6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
	{3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
	{5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
	{8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
	{9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
	{2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
}

// damm is the interim digit after s: the check digit to append, or 0 when s
// already ends with its check digit.
func damm(s string) byte {
	var d byte
	for i := 0; i < len(s); i++ {
		d = dammTable[d][s[i]-'0']
	}
	return d
}
