// Signature stub, checked against intellij-community platform/execution/src/com/intellij/execution/configurations/RunConfiguration.java
// (`default @NotNull ConfigurationType getType()`, `Project getProject()`).
package com.intellij.execution.configurations;

import com.intellij.openapi.project.Project;

public interface RunConfiguration extends RunProfile {
  default ConfigurationType getType() { throw new UnsupportedOperationException("stub"); }
  Project getProject();
}
