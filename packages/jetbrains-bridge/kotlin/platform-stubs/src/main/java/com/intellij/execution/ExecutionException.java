// Signature stub, checked against intellij-community platform/platform-api/src/com/intellij/execution/ExecutionException.java
package com.intellij.execution;

public class ExecutionException extends Exception {
  public ExecutionException(String s) { super(s); }
  public ExecutionException(Throwable cause) { super(cause == null ? null : cause.getMessage(), cause); }
  public ExecutionException(String s, Throwable cause) { super(s, cause); }
}
