package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/iamlens/iamlens/server"
)

// runServe runs the language server on stdin/stdout, or on a TCP socket for
// debugging. Only JSON-RPC goes to stdout; the log goes to stderr or
// --log-file.
func runServe(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "", "serve on this TCP address (e.g. 127.0.0.1:7777) instead of stdin/stdout")
	logFile := fs.String("log-file", "", "write the log to this file instead of stderr")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	debounce := fs.Duration("debounce", server.DefaultDebounce, "quiet time after an edit before analysing")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: iamlens serve [flags]\n\nRuns the iamlens language server over stdin/stdout (LSP).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "iamlens serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	logger, closeLog, err := newServeLogger(*logFile, *logLevel, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "iamlens serve: %v\n", err)
		return 2
	}
	defer closeLog()

	// An editor session keeps one analysis per open document alive while
	// the next is built; a soft memory limit makes the collector work
	// harder before the heap grows past it, which keeps the server's
	// footprint small with large templates open. GOMEMLIMIT overrides it.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := server.Options{Version: Version, Logger: logger, Debounce: *debounce}
	if *listen != "" {
		return serveTCP(ctx, *listen, opts, stderr)
	}
	logger.Info("serving on stdio", zap.String("version", Version))
	return server.New(opts).Serve(ctx, stdio{})
}

// serveMemoryLimit is the soft memory limit of the server process.
const serveMemoryLimit = 100 << 20

// serveTCP serves one session per connection until a session ends with
// exit (whose code it returns) or the process is interrupted.
func serveTCP(ctx context.Context, addr string, opts server.Options, stderr io.Writer) int {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(stderr, "iamlens serve: %v\n", err)
		return 1
	}
	defer ln.Close()
	opts.Logger.Info("listening", zap.String("addr", ln.Addr().String()))
	fmt.Fprintf(stderr, "iamlens serve: listening on %s\n", ln.Addr())
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return 0
			}
			fmt.Fprintf(stderr, "iamlens serve: %v\n", err)
			return 1
		}
		go func() {
			server.New(opts).Serve(ctx, c)
		}()
	}
}

// stdio is the stdin/stdout pair as one connection.
type stdio struct{}

func (stdio) Read(p []byte) (int, error)  { return os.Stdin.Read(p) }
func (stdio) Write(p []byte) (int, error) { return os.Stdout.Write(p) }
func (stdio) Close() error {
	return errors.Join(os.Stdin.Close(), os.Stdout.Close())
}

// newServeLogger logs JSON lines to a file or to stderr, never to stdout.
func newServeLogger(file, level string, stderr io.Writer) (*zap.Logger, func(), error) {
	var lvl zapcore.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	out := zapcore.AddSync(stderr)
	closeLog := func() {}
	if file != "" {
		f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("--log-file: %w", err)
		}
		out = zapcore.AddSync(f)
		closeLog = func() { f.Close() }
	}
	enc := zap.NewProductionEncoderConfig()
	enc.EncodeTime = zapcore.TimeEncoderOfLayout(time.RFC3339Nano)
	core := zapcore.NewCore(zapcore.NewJSONEncoder(enc), zapcore.Lock(out), lvl)
	logger := zap.New(core).Named("iamlens")
	return logger, func() { logger.Sync(); closeLog() }, nil
}
