// Reference timing of Go's own text/template on benches/data, for comparison
// with `cargo bench -p gotmpl`. Run: go run . (needs only the Go stdlib).
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"text/template"
)

func main() {
	src, err := os.ReadFile("../data/deployment.tmpl")
	if err != nil {
		panic(err)
	}
	raw, err := os.ReadFile("../data/deployment.json")
	if err != nil {
		panic(err)
	}
	var data interface{}
	if err := json.Unmarshal(raw, &data); err != nil {
		panic(err)
	}
	t := template.Must(template.New("deployment.tmpl").Option("missingkey=zero").Parse(string(src)))
	var out strings.Builder
	if err := t.Execute(&out, data); err != nil {
		panic(err)
	}
	if len(os.Args) > 1 && os.Args[1] == "print" {
		fmt.Print(out.String())
		return
	}
	res := testing.Benchmark(func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var sb strings.Builder
			if err := t.Execute(&sb, data); err != nil {
				b.Fatal(err)
			}
		}
	})
	fmt.Printf("go text/template render: %v per op (%d bytes output)\n", time(res), out.Len())
}

func time(r testing.BenchmarkResult) string {
	return fmt.Sprintf("%.3f ms", float64(r.NsPerOp())/1e6)
}
