// Signature stub, checked against intellij-community platform/execution/src/com/intellij/execution/configurations/SimpleProgramParameters.java
// (`@NotNull Map<String, String> getEnv()`, `void setEnv(Map<String, String>)`, `String getWorkingDirectory()`).
package com.intellij.execution.configurations;

import java.util.Map;

public class SimpleProgramParameters {
  public String getWorkingDirectory() { throw new UnsupportedOperationException("stub"); }
  public Map<String, String> getEnv() { throw new UnsupportedOperationException("stub"); }
  public void setEnv(Map<String, String> env) { throw new UnsupportedOperationException("stub"); }
}
