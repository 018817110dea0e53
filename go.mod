module github.com/iamlens/iamlens

go 1.26.8

require (
	github.com/segmentio/encoding v0.3.4
	github.com/tidwall/gjson v1.18.0
	go.lsp.dev/jsonrpc2 v0.10.0
	go.lsp.dev/protocol v0.12.0
	go.uber.org/zap v1.21.0
	go.yaml.in/yaml/v3 v3.0.4
	golang.org/x/tools v0.53.0
)

require (
	github.com/segmentio/asm v1.1.3 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.0 // indirect
	go.lsp.dev/pkg v0.0.0-20210717090340-384b27a52fb2 // indirect
	go.lsp.dev/uri v0.3.0 // indirect
	go.uber.org/atomic v1.9.0 // indirect
	go.uber.org/multierr v1.8.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
