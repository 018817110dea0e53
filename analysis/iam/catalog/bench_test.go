package catalog

import "testing"

func BenchmarkDecode(b *testing.B) {
	b.ReportMetric(float64(len(blob)), "embedded-bytes")
	for b.Loop() {
		if _, err := decode(blob); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	db()
	for b.Loop() {
		if _, ok := Lookup("S3:getObject"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkMatchService(b *testing.B) {
	db()
	for b.Loop() {
		Match("s3:Get*")
	}
}

func BenchmarkMatchAll(b *testing.B) {
	db()
	for b.Loop() {
		Match("*")
	}
}

func BenchmarkMatchWildService(b *testing.B) {
	db()
	for b.Loop() {
		Match("*:Get*")
	}
}

func BenchmarkClosest(b *testing.B) {
	db()
	for b.Loop() {
		Closest("ec2:DescribeInstanse")
	}
}
