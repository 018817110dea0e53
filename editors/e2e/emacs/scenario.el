;;; scenario.el --- one iamlens e2e scenario in Emacs batch + eglot  -*- lexical-binding: t; -*-

;; Open the file through editors/emacs/iamlens.el, wait for the rule's
;; diagnostic, hover, apply a quick fix, wait for the diagnostic to clear.
;; Reads the scenario from $IAMLENS_SCENARIO, writes what it saw to
;; scenario.result (JSON).  Assertions are in Go.
;;
;; Batch mode never runs idle timers: didChange is signalled by hand.

;;; Code:

(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa"))
(package-initialize)
(require 'cl-lib)
(require 'json)
(require 'eglot)

(defvar scenario
  (let ((json-object-type 'plist) (json-array-type 'list) (json-key-type 'keyword))
    (json-read-file (getenv "IAMLENS_SCENARIO"))))
(defvar result (list :actions nil))
(defvar raw-diagnostics nil "Last diagnostics published for the file (raw plists).")
(defvar publish-count 0)

(defun cfg (key) (plist-get scenario key))
(defun put-result (key value) (setq result (plist-put result key value)))
(defun now-ms () (* 1000.0 (float-time)))

(defun wait-for (pred timeout-ms)
  "Process output until PRED is non-nil or TIMEOUT-MS pass; return PRED's value."
  (let ((deadline (+ (now-ms) timeout-ms)) value)
    (while (and (not (setq value (funcall pred))) (< (now-ms) deadline))
      (accept-process-output nil 0.01))
    value))

(defun rule-diagnostics ()
  (cl-remove-if-not (lambda (d) (equal (plist-get d :code) (cfg :rule)))
                    (append raw-diagnostics nil)))

(defun hover-text (contents)
  (cond ((stringp contents) contents)
        ((plist-get contents :value))
        (t (mapconcat (lambda (c) (if (stringp c) c (plist-get c :value)))
                      (append contents nil) "\n"))))

(defun lsp-position (pos)
  (save-excursion
    (goto-char (point-min))
    (forward-line (plist-get pos :line))
    (forward-char (plist-get pos :character))
    (point)))

(defun run-scenario ()
  (load (expand-file-name "iamlens.el" (cfg :plugin)) nil t)
  (unless (fboundp 'yaml-mode) ; Emacs 28 has none
    (define-derived-mode yaml-mode prog-mode "YAML"))
  (iamlens-eglot-setup)
  (setq eglot-sync-connect 30 eglot-autoreconnect nil)

  (cl-defmethod eglot-handle-notification :before
    (_server (_method (eql textDocument/publishDiagnostics)) &key uri diagnostics &allow-other-keys)
    (when (equal uri (eglot--path-to-uri (cfg :file)))
      (setq raw-diagnostics diagnostics publish-count (1+ publish-count))))

  (let ((t0 (now-ms)))
    (find-file (cfg :file))
    (yaml-mode)
    (apply #'eglot (eglot--guess-contact))
    (let ((server (eglot-current-server)))
      (unless server (error "eglot did not connect to %s" iamlens-command))
      (flymake-start)
      (let ((got (wait-for #'rule-diagnostics (cfg :timeoutMs))))
        (put-result :diagnostics (vconcat raw-diagnostics))
        (unless got (error "no %s diagnostic within %s ms" (cfg :rule) (cfg :timeoutMs))))
      (put-result :firstDiagnosticMs (- (now-ms) t0))

      (when (cfg :hover)
        (goto-char (lsp-position (cfg :hover)))
        (let ((hover (jsonrpc-request server :textDocument/hover
                                      (eglot--TextDocumentPositionParams))))
          (when hover (put-result :hover (hover-text (plist-get hover :contents))))))

      (let* ((diag (car (rule-diagnostics)))
             (actions (jsonrpc-request
                       server :textDocument/codeAction
                       (list :textDocument (eglot--TextDocumentIdentifier)
                             :range (plist-get diag :range)
                             :context (list :diagnostics (vector diag) :only ["quickfix"]))))
             chosen)
        (seq-doseq (action actions)
          (let ((title (plist-get action :title)))
            (put-result :actions (append (plist-get result :actions) (list title)))
            (when (and (cl-some (lambda (p) (string-prefix-p p title)) (cfg :fixPrefixes))
                       (or (null chosen)
                           (and (eq (plist-get action :isPreferred) t)
                                (not (eq (plist-get chosen :isPreferred) t)))))
              (setq chosen action))))
        (unless chosen
          (error "no quick fix starting with %s" (mapconcat #'identity (cfg :fixPrefixes) " or ")))
        (when (and (null (plist-get chosen :edit)) (plist-get chosen :data))
          (setq chosen (jsonrpc-request server :codeAction/resolve chosen)))
        (unless (plist-get chosen :edit) (error "the quick fix has no edit: %S" chosen))
        (let ((before publish-count))
          (eglot--apply-workspace-edit (plist-get chosen :edit))
          (put-result :applied (plist-get chosen :title))
          (put-result :textAfter (buffer-substring-no-properties (point-min) (point-max)))
          (eglot--signal-textDocument/didChange)
          (let ((t1 (now-ms)))
            (put-result :cleared (if (wait-for (lambda () (and (> publish-count before)
                                                               (null (rule-diagnostics))))
                                               (cfg :timeoutMs))
                                     t :json-false))
            (put-result :clearedMs (- (now-ms) t1))
            (put-result :diagnosticsAfter (vconcat raw-diagnostics))))))))

(let ((status 0))
  (condition-case err
      (run-scenario)
    (error
     (setq status 2)
     (put-result :error (error-message-string err))
     (princ (format "FAIL: %s\n" (error-message-string err)))))
  (let ((json-false :json-false) (json-null nil) (json-encoding-pretty-print nil))
    (with-temp-file (cfg :result)
      (insert (json-encode result))))
  (kill-emacs status))

;;; scenario.el ends here
