package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExplainJSON(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "template.yaml")
	tmpl := `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  ImagesBucket:
    Type: AWS::S3::Bucket
  ThumbnailFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - S3ReadPolicy:
            BucketName: !Ref ImagesBucket
`
	if err := os.WriteFile(path, []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := runExplain([]string{"--format", "json", path}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var got struct {
		Files []struct {
			Path, Kind string
			Functions  []struct {
				ID, Role string
				Network  struct{ Path string }
				Buckets  []struct {
					Bucket            string
					Allowed           []string
					Denied            []struct{ Action, By string }
					BlockPublicAccess map[string]bool
				}
			}
			Buckets []struct {
				ID         string
				Public     bool
				Encryption string
			}
		}
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	f := got.Files[0]
	if f.Kind != "sam" || len(f.Functions) != 1 || f.Functions[0].Role != "ThumbnailFunctionRole" || f.Functions[0].Network.Path != "aws-network" {
		t.Fatalf("unexpected report: %s", out.String())
	}
	b := f.Functions[0].Buckets[0]
	if b.Bucket != "ImagesBucket" || !strings.Contains(strings.Join(b.Allowed, " "), "s3:GetObject") || !b.BlockPublicAccess["blockPublicPolicy"] {
		t.Fatalf("unexpected bucket entry: %s", out.String())
	}
	if len(f.Buckets) != 1 || f.Buckets[0].Public || f.Buckets[0].Encryption != "AES256" {
		t.Fatalf("unexpected buckets: %s", out.String())
	}
	out.Reset()
	if code := runExplain([]string{path}, &out, &errb); code != 0 || !strings.Contains(out.String(), "ThumbnailFunction → ImagesBucket: read objects; list bucket") {
		t.Fatalf("text report: exit %d\n%s", code, out.String())
	}
}
