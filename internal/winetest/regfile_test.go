package winetest

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

func TestRegFile(t *testing.T) {
	var r RegFile
	r.Key(`HKLM\SOFTWARE\Crypto Pro\Settings`).SZ("Описание", `C:\путь "в кавычках"`).DWORD("Type", 80)
	r.Key(`HKEY_CURRENT_USER\Software\X`).SZ("", "default").Raw("bad", 4, []byte{1, 2, 3}).QWORD("q", 0x0102030405060708)
	r.Key(`HKLM\SOFTWARE\Crypto Pro\Settings`).MultiSZ("m", "a", "б")
	want := "Windows Registry Editor Version 5.00\r\n\r\n" +
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings]\r\n" +
		"\"Описание\"=\"C:\\\\путь \\\"в кавычках\\\"\"\r\n" +
		"\"Type\"=dword:00000050\r\n" +
		"\"m\"=hex(7):61,00,00,00,31,04,00,00,00,00\r\n\r\n" +
		"[HKEY_CURRENT_USER\\Software\\X]\r\n" +
		"@=\"default\"\r\n" +
		"\"bad\"=hex(4):01,02,03\r\n" +
		"\"q\"=hex(b):08,07,06,05,04,03,02,01\r\n\r\n"
	if got := r.Text(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	b := r.Bytes()
	if !bytes.HasPrefix(b, []byte{0xff, 0xfe}) || len(b)%2 != 0 {
		t.Fatal("no UTF-16LE BOM")
	}
	u := make([]uint16, (len(b)-2)/2)
	for i := range u {
		u[i] = uint16(b[2+2*i]) | uint16(b[3+2*i])<<8
	}
	if string(utf16.Decode(u)) != want {
		t.Fatal("UTF-16 body differs from Text()")
	}
}

func TestCertBlobRoundTrip(t *testing.T) {
	der := []byte{0x30, 0x03, 0x02, 0x01, 0x05}
	key := &host.KeyLink{Container: `\\.\HDIMAGE\контейнер`, Provider: "Crypto-Pro GOST R 34.10-2012 Cryptographic Service Provider", ProvType: 80, KeySpec: 1}
	cb, err := host.DecodeCertBlob(CertBlob(der, key))
	if err != nil || !bytes.Equal(cb.DER, der) || cb.Key == nil || *cb.Key != *key {
		t.Fatalf("got %+v %v", cb, err)
	}
	var r RegFile
	tp := r.AddCert(host.LocalMachine, host.StoreCA, der, nil)
	if !strings.Contains(r.Text(), `[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SystemCertificates\CA\Certificates\`+tp+`]`) || tp != strings.ToUpper(tp) {
		t.Fatal(r.Text())
	}
}
