package io.stackwright.api.tenancy;

/** What a policy violation does (Pod Security Admission's modes). */
public enum PolicyMode {
  /** Refused: one {@link io.stackwright.api.InvalidSpecException} lists every violation. */
  ENFORCE,
  /** Admitted; each violation is a {@code ADMISSION_WARNING} event and a WARN log line. */
  WARN,
  /** Admitted; each violation is an {@code ADMISSION_AUDIT} event and an INFO log line. */
  AUDIT
}
