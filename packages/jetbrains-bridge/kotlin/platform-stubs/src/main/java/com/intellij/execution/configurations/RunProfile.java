// Signature stub, checked against intellij-community platform/execution/src/com/intellij/execution/configurations/RunProfile.java
// (`@NotNull String getName()`).
package com.intellij.execution.configurations;

public interface RunProfile {
  String getName();
}
