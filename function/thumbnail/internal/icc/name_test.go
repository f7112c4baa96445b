package icc

import "testing"

func TestCleanName(t *testing.T) {
	cases := map[string]string{
		"Display P3":                   "Display P3",
		"Lstar-RGB.icc":                "Lstar-RGB",
		"  Coated\tFOGRA39 \x00junk":   "Coated FOGRA39",
		"caf\u00e9 \u00fcber":          "caf ber",
		"\x1b[31mred\x1b[0m":           "[31mred [0m",
		string(make([]byte, 10)) + "x": "",
	}
	for in, want := range cases {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
	long := cleanName(string(make([]rune, 0)) + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	if len(long) != maxNameLen {
		t.Errorf("long name cut to %d characters, want %d", len(long), maxNameLen)
	}
}
