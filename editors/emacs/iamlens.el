;;; iamlens.el --- iamlens language server for eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (eglot "1.9"))
;; Keywords: languages, tools
;; URL: https://github.com/iamlens/iamlens
;; SPDX-License-Identifier: MIT

;;; Commentary:

;; Registers `iamlens serve' with eglot for JSON and YAML buffers, so that
;; IAM policies and CloudFormation / SAM templates get iamlens diagnostics,
;; hovers and quick fixes.
;;
;;   (require 'iamlens)
;;   (iamlens-eglot-setup)
;;   (add-hook 'yaml-mode-hook #'eglot-ensure)
;;   (add-hook 'json-mode-hook #'eglot-ensure)
;;
;; eglot runs one server per buffer: for these modes iamlens takes the place
;; of the JSON / YAML language servers in `eglot-server-programs'.
;;
;; `M-x iamlens-explain' shows which buckets each function in the current
;; template can reach, and why.

;;; Code:

(require 'eglot)
(require 'jsonrpc)

(defgroup iamlens nil
  "iamlens: can your Lambda functions reach their S3 buckets?"
  :group 'tools
  :prefix "iamlens-")

(defcustom iamlens-command '("iamlens" "serve")
  "Command line that starts the iamlens language server."
  :type '(repeat string))

(defcustom iamlens-modes
  '((json-mode :language-id "json")
    (js-json-mode :language-id "json")
    (json-ts-mode :language-id "json")
    (yaml-mode :language-id "yaml")
    (yaml-ts-mode :language-id "yaml"))
  "Major modes (with their LSP language ids) whose buffers iamlens checks.
The server decides whether a file is a policy or a template and stays
silent on other files."
  :type '(repeat sexp))

(defcustom iamlens-rules nil
  "Severity per rule id, e.g. ((\"no-route-to-s3\" . \"warning\")).
A severity is one of \"off\", \"error\", \"warning\", \"information\"
or \"hint\".  Rules not listed keep their default severity."
  :type '(alist :key-type string
                :value-type (choice (const "off") (const "error") (const "warning")
                                    (const "information") (const "hint"))))

(defun iamlens--settings ()
  "The server settings object: (:rules {...})."
  (let ((rules (make-hash-table :test #'equal)))
    (dolist (rule iamlens-rules)
      (puthash (format "%s" (car rule)) (cdr rule) rules))
    (list :rules rules)))

(defclass iamlens-eglot-server (eglot-lsp-server) ()
  :documentation "The iamlens language server.")

(cl-defmethod eglot-initialization-options ((_server iamlens-eglot-server))
  "Send `iamlens-rules' as initializationOptions {\"iamlens\": {\"rules\": ...}}."
  (list :iamlens (iamlens--settings)))

;;;###autoload
(defun iamlens-eglot-setup ()
  "Register iamlens in `eglot-server-programs' for `iamlens-modes'."
  (interactive)
  (add-to-list 'eglot-server-programs
               (cons iamlens-modes (cons 'iamlens-eglot-server iamlens-command)))
  (add-hook 'eglot-connect-hook #'iamlens--after-connect t))

(defun iamlens--after-connect (server)
  "Resend `iamlens-rules' after eglot's own didChangeConfiguration.
On connect eglot sends `eglot-workspace-configuration', which is usually
empty and would reset the rules given in initializationOptions.  A
workspace configuration with an :iamlens entry is left alone."
  (when (and (cl-typep server 'iamlens-eglot-server)
             (not (plist-member (eglot--workspace-configuration-plist server) :iamlens)))
    (jsonrpc-notify server :workspace/didChangeConfiguration
                    (list :settings (list :iamlens (iamlens--settings))))))

(defun iamlens-send-settings ()
  "Send `iamlens-rules' to the running iamlens servers.
The server receives workspace/didChangeConfiguration with
{\"settings\": {\"iamlens\": {\"rules\": ...}}}."
  (interactive)
  (dolist (server (hash-table-values eglot--servers-by-project))
    (dolist (s server)
      (when (cl-typep s 'iamlens-eglot-server)
        (jsonrpc-notify s :workspace/didChangeConfiguration
                        (list :settings (list :iamlens (iamlens--settings))))))))

;;;###autoload
(defun iamlens-explain (&optional file)
  "Show `iamlens explain --format text' for FILE (default: this buffer's file)."
  (interactive)
  (let* ((file (expand-file-name (or file buffer-file-name
                                     (user-error "This buffer has no file: save it first"))))
         (program (car iamlens-command))
         (buffer (get-buffer-create "*iamlens explain*")))
    (unless (executable-find program)
      (user-error "iamlens: `%s' is not on exec-path; install iamlens or set `iamlens-command'" program))
    (when (and (buffer-modified-p) (equal buffer-file-name file))
      (message "iamlens: the buffer has unsaved changes; explaining the file as saved on disk"))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (erase-buffer)
        (let ((code (call-process program nil t nil "explain" "--format" "text" file)))
          (unless (eq code 0)
            (insert (format "\n[iamlens explain exited with %s]\n" code))))
        (goto-char (point-min))
        (special-mode)))
    (display-buffer buffer)
    buffer))

(provide 'iamlens)
;;; iamlens.el ends here
