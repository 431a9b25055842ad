// Signature stub, checked against intellij-community platform/core-api/src/com/intellij/openapi/project/Project.java
// (`@NotNull String getName()`, `@Nullable @SystemIndependent String getBasePath()`).
package com.intellij.openapi.project;

public interface Project {
  String getName();
  String getBasePath();
}
