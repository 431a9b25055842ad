// Signature stub, checked against intellij-community platform/execution/src/com/intellij/execution/configurations/RunConfigurationBase.java
// (`public abstract class RunConfigurationBase<T> ... implements RunConfiguration`, final getName()/getProject()).
package com.intellij.execution.configurations;

import com.intellij.openapi.project.Project;

public abstract class RunConfigurationBase<T> implements RunConfiguration {
  private RunConfigurationBase() {}
  @Override public final String getName() { throw new UnsupportedOperationException("stub"); }
  @Override public final Project getProject() { throw new UnsupportedOperationException("stub"); }
}
